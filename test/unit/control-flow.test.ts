/**
 * Multi-subgraph models: IF, WHILE and CALL_ONCE running other subgraphs, resource variables (VAR_HANDLE,
 * READ_VARIABLE, ASSIGN_VARIABLE), the one-arena plan over all subgraphs, and the guards against models that
 * would recurse or loop forever. Models are built with the project's writer.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError, ModelFormatError } from "../../src/errors.js";
import { type WriterModel, type WriterSubgraph, type WriterTensor, writeModel } from "../../src/format/writer.js";
import { Model, type ModelOptions } from "../../src/runtime/model.js";
import { planSubgraphTimeline } from "../../src/runtime/planner.js";

const f32 = (shape: number[]): WriterTensor => ({ dtype: "float32", shape });
const i32 = (shape: number[]): WriterTensor => ({ dtype: "int32", shape });
const bool = (shape: number[]): WriterTensor => ({ dtype: "bool", shape });
const resource: WriterTensor = { dtype: "resource", shape: [] };
const i32Const = (values: number[]): WriterTensor => ({
  dtype: "int32",
  shape: [values.length],
  data: Int32Array.from(values),
});

function load(subgraphs: WriterSubgraph[], options?: ModelOptions): Model {
  const model: WriterModel = { subgraphs };
  return Model.fromBytes(writeModel(model), options);
}

/** A subgraph computing `opName(a, b)` over two tensors of `tensor`'s type and shape. */
function binary(opName: string, tensor: WriterTensor): WriterSubgraph {
  return {
    tensors: [tensor, tensor, tensor],
    inputs: [0, 1],
    outputs: [2],
    operators: [{ opName, inputs: [0, 1], outputs: [2] }],
  };
}

/** TFLM test_helpers' GetSimpleModelWithSubgraphsAndIf: IF(cond, a, b) with then = ADD, else = MUL. */
function ifAddOrMul(): Model {
  return load([
    {
      tensors: [bool([1]), f32([1, 2]), f32([1, 2]), f32([1, 2])],
      inputs: [0, 1, 2],
      outputs: [3],
      operators: [
        {
          opName: "IF",
          optionsTable: "IfOptions",
          options: { thenSubgraphIndex: 1, elseSubgraphIndex: 2 },
          inputs: [0, 1, 2],
          outputs: [3],
        },
      ],
    },
    binary("ADD", f32([1, 2])),
    binary("MUL", f32([1, 2])),
  ]);
}

/** A WHILE over (a, b): cond LESS(a, b), body (ADD(a, b), b) — TFLM's GetSimpleModelWithSubgraphsAndWhile. */
function whileAddUntilNotLess(dtype: "float32" | "int32", options?: ModelOptions): Model {
  const t: WriterTensor = { dtype, shape: [1] };
  return load(
    [
      {
        tensors: [t, t, t, t],
        inputs: [0, 1],
        outputs: [2, 3],
        operators: [
          {
            opName: "WHILE",
            optionsTable: "WhileOptions",
            options: { condSubgraphIndex: 1, bodySubgraphIndex: 2 },
            inputs: [0, 1],
            outputs: [2, 3],
          },
        ],
      },
      {
        tensors: [t, t, bool([1])],
        inputs: [0, 1],
        outputs: [2],
        operators: [{ opName: "LESS", inputs: [0, 1], outputs: [2] }],
      },
      {
        tensors: [t, t, t],
        inputs: [0, 1],
        outputs: [2, 1],
        operators: [{ opName: "ADD", inputs: [0, 1], outputs: [2] }],
      },
    ],
    options,
  );
}

/** WHILE (i < n) { i += 1 } over int32 scalars. */
function countTo(options?: ModelOptions): Model {
  return load(
    [
      {
        tensors: [i32([1]), i32([1]), i32([1]), i32([1])],
        inputs: [0, 1],
        outputs: [2, 3],
        operators: [
          {
            opName: "WHILE",
            optionsTable: "WhileOptions",
            options: { condSubgraphIndex: 1, bodySubgraphIndex: 2 },
            inputs: [0, 1],
            outputs: [2, 3],
          },
        ],
      },
      {
        tensors: [i32([1]), i32([1]), bool([1])],
        inputs: [0, 1],
        outputs: [2],
        operators: [{ opName: "LESS", inputs: [0, 1], outputs: [2] }],
      },
      {
        tensors: [i32([1]), i32([1]), i32Const([1]), i32([1])],
        inputs: [0, 1],
        outputs: [3, 1],
        operators: [{ opName: "ADD", inputs: [0, 2], outputs: [3] }],
      },
    ],
    options,
  );
}

describe("IF", () => {
  // TFLM if_test.cc IfShouldInvokeSubgraphConditionTrue / ...ConditionFalse: inputs {2, 5} and {3, 7}.
  test("runs the then-subgraph (ADD) when the condition is true", () => {
    const out = ifAddOrMul()
      .createSession()
      .run([[1], [2, 5], [3, 7]]);
    assert.deepEqual([...out[0]!], [5, 12]);
  });

  test("runs the else-subgraph (MUL) when the condition is false", () => {
    const out = ifAddOrMul()
      .createSession()
      .run([[0], [2, 5], [3, 7]]);
    assert.deepEqual([...out[0]!], [6, 35]);
  });

  test("the same session switches branches between invocations", () => {
    const session = ifAddOrMul().createSession();
    assert.deepEqual([...session.run([[0], [2, 5], [3, 7]])[0]!], [6, 35]);
    assert.deepEqual([...session.run([[1], [2, 5], [3, 7]])[0]!], [5, 12]);
  });

  test("rejects a branch whose inputs do not match the op's", () => {
    assert.throws(
      () =>
        load([
          {
            tensors: [bool([1]), f32([1, 2]), f32([1, 2]), f32([1, 2])],
            inputs: [0, 1, 2],
            outputs: [3],
            operators: [
              {
                opName: "IF",
                optionsTable: "IfOptions",
                options: { thenSubgraphIndex: 1, elseSubgraphIndex: 2 },
                inputs: [0, 1, 2],
                outputs: [3],
              },
            ],
          },
          binary("ADD", f32([1, 2])),
          binary("MUL", f32([1, 3])),
        ]),
      (err) =>
        err instanceof KernelError && /IF: inputs 1\.\. 0 is float32\[1,2\] but else subgraph 2/.test(err.message),
    );
  });

  test("rejects a subgraph index out of range", () => {
    assert.throws(
      () =>
        load([
          {
            tensors: [bool([1]), f32([1]), f32([1])],
            inputs: [0, 1],
            outputs: [2],
            operators: [
              {
                opName: "IF",
                optionsTable: "IfOptions",
                options: { thenSubgraphIndex: 1, elseSubgraphIndex: 7 },
                inputs: [0, 1],
                outputs: [2],
              },
            ],
          },
          { tensors: [f32([1])], inputs: [0], outputs: [0], operators: [] },
        ]),
      (err) => err instanceof KernelError && /operator 0 \(IF\): subgraph 7 does not exist/.test(err.message),
    );
  });

  test("a self-recursive IF is rejected at load", () => {
    // Subgraph 0's interface (bool, float32) -> float32 matches the IF's inputs 1.., so only the cycle is wrong.
    const main: WriterSubgraph = {
      tensors: [bool([1]), f32([1]), f32([1])],
      inputs: [0, 1],
      outputs: [2],
      operators: [
        {
          opName: "IF",
          optionsTable: "IfOptions",
          options: { thenSubgraphIndex: 0, elseSubgraphIndex: 1 },
          inputs: [0, 0, 1],
          outputs: [2],
        },
      ],
    };
    const double: WriterSubgraph = {
      tensors: [bool([1]), f32([1]), f32([1])],
      inputs: [0, 1],
      outputs: [2],
      operators: [{ opName: "ADD", inputs: [1, 1], outputs: [2] }],
    };
    assert.throws(
      () => load([main, double]),
      (err) => err instanceof ModelFormatError && /subgraph 0 can invoke itself \(calls 0 -> 0\)/.test(err.message),
    );
  });

  test("recursion through another subgraph is rejected too", () => {
    const call = (thenIndex: number, elseIndex: number) => ({
      opName: "IF",
      optionsTable: "IfOptions",
      options: { thenSubgraphIndex: thenIndex, elseSubgraphIndex: elseIndex },
      inputs: [0, 0, 1],
      outputs: [2],
    });
    const graph = (op: ReturnType<typeof call>): WriterSubgraph => ({
      tensors: [bool([1]), f32([1]), f32([1])],
      inputs: [0, 1],
      outputs: [2],
      operators: [op],
    });
    const leaf: WriterSubgraph = {
      tensors: [bool([1]), f32([1]), f32([1])],
      inputs: [0, 1],
      outputs: [2],
      operators: [{ opName: "ADD", inputs: [1, 1], outputs: [2] }],
    };
    assert.throws(
      () => load([graph(call(1, 3)), graph(call(2, 3)), graph(call(1, 3)), leaf]),
      (err) => err instanceof ModelFormatError && /calls 1 -> 2 -> 1/.test(err.message),
    );
  });
});

describe("WHILE", () => {
  // TFLM while_test.cc: WhileShouldNeverInvokeConditionFalse, WhileShouldInvokeOnce, WhileShouldInvokeMultiple.
  test("does not run the body when the condition is false at once", () => {
    const out = whileAddUntilNotLess("float32")
      .createSession()
      .run([[3], [2]]);
    assert.deepEqual(
      out.map((o) => o[0]),
      [3, 2],
    );
  });

  test("runs the body once", () => {
    const out = whileAddUntilNotLess("float32")
      .createSession()
      .run([[2], [3]]);
    assert.deepEqual(
      out.map((o) => o[0]),
      [5, 3],
    );
  });

  test("runs the body several times", () => {
    const out = whileAddUntilNotLess("float32")
      .createSession()
      .run([[-5], [3]]);
    assert.deepEqual(
      out.map((o) => o[0]),
      [4, 3],
    );
  });

  test("counts up to N (cond LESS, body ADD of a constant 1)", () => {
    const session = countTo().createSession();
    for (const n of [0, 1, 7, 1000]) {
      const out = session.run([[0], [n]]);
      assert.deepEqual(
        out.map((o) => o[0]),
        [n, n],
      );
    }
    assert.deepEqual(
      session.run([[9], [4]]).map((o) => o[0]),
      [9, 4],
    );
  });

  test("an endless loop stops at the iteration cap with an error naming the op", () => {
    const session = whileAddUntilNotLess("int32", { maxLoopIterations: 1000 }).createSession();
    // a = 0, b = 0: LESS(0, 0) is false at once; a = -1, b = 0 adds 0 forever.
    assert.deepEqual(
      session.run([[0], [0]]).map((o) => o[0]),
      [0, 0],
    );
    assert.throws(
      () => session.run([[-1], [0]]),
      (err) =>
        err instanceof KernelError &&
        /^WHILE: more than 1000 loop iterations in one invocation \(cond subgraph 1, body subgraph 2\)/.test(
          err.message,
        ),
    );
  });

  test("the cap counts iterations of one invocation: exactly the cap passes, one more fails", () => {
    const session = countTo({ maxLoopIterations: 5 }).createSession();
    assert.deepEqual(
      session.run([[0], [5]]).map((o) => o[0]),
      [5, 5],
    );
    assert.deepEqual(
      session.run([[0], [5]]).map((o) => o[0]),
      [5, 5],
    );
    assert.throws(() => session.run([[0], [6]]), /more than 5 loop iterations/);
  });

  test("nested IF inside the body", () => {
    // State (i, acc, n): while (i < n) { acc = i < 3 ? acc + 10 : acc + 1; i += 1 }. n = 5 -> acc = 3·10 + 2·1.
    const scalar = i32([1]);
    const model = load([
      {
        tensors: [scalar, scalar, scalar, scalar, scalar, scalar],
        inputs: [0, 1, 2],
        outputs: [3, 4, 5],
        operators: [
          {
            opName: "WHILE",
            optionsTable: "WhileOptions",
            options: { condSubgraphIndex: 1, bodySubgraphIndex: 2 },
            inputs: [0, 1, 2],
            outputs: [3, 4, 5],
          },
        ],
      },
      {
        tensors: [scalar, scalar, scalar, bool([1])],
        inputs: [0, 1, 2],
        outputs: [3],
        operators: [{ opName: "LESS", inputs: [0, 2], outputs: [3] }],
      },
      {
        // 0 i, 1 acc, 2 n, 3 const 1, 4 i + 1, 5 const 3, 6 i < 3, 7 new acc
        tensors: [scalar, scalar, scalar, i32Const([1]), scalar, i32Const([3]), bool([1]), scalar],
        inputs: [0, 1, 2],
        outputs: [4, 7, 2],
        operators: [
          { opName: "ADD", inputs: [0, 3], outputs: [4] },
          { opName: "LESS", inputs: [0, 5], outputs: [6] },
          {
            opName: "IF",
            optionsTable: "IfOptions",
            options: { thenSubgraphIndex: 3, elseSubgraphIndex: 4 },
            inputs: [6, 1],
            outputs: [7],
          },
        ],
      },
      {
        tensors: [scalar, i32Const([10]), scalar],
        inputs: [0],
        outputs: [2],
        operators: [{ opName: "ADD", inputs: [0, 1], outputs: [2] }],
      },
      {
        tensors: [scalar, i32Const([1]), scalar],
        inputs: [0],
        outputs: [2],
        operators: [{ opName: "ADD", inputs: [0, 1], outputs: [2] }],
      },
    ]);
    const session = model.createSession();
    assert.deepEqual(
      session.run([[0], [0], [5]]).map((o) => o[0]),
      [5, 32, 5],
    );
    assert.deepEqual(
      session.run([[4], [100], [6]]).map((o) => o[0]),
      [6, 102, 6],
    );
  });
});

/**
 * Subgraph 0: CALL_ONCE(init = 1); h = VAR_HANDLE("counter"); v = READ_VARIABLE(h); v1 = ADD(v, 1);
 * ASSIGN_VARIABLE(h, v1); output v1. Subgraph 1: ASSIGN_VARIABLE(VAR_HANDLE("counter"), 10).
 */
function counterModel(): Model {
  return load([
    {
      tensors: [resource, i32([1]), i32Const([1]), i32([1])],
      inputs: [],
      outputs: [3],
      operators: [
        {
          opName: "CALL_ONCE",
          optionsTable: "CallOnceOptions",
          options: { initSubgraphIndex: 1 },
          inputs: [],
          outputs: [],
        },
        {
          opName: "VAR_HANDLE",
          optionsTable: "VarHandleOptions",
          options: { sharedName: "counter" },
          inputs: [],
          outputs: [0],
        },
        { opName: "READ_VARIABLE", inputs: [0], outputs: [1] },
        { opName: "ADD", inputs: [1, 2], outputs: [3] },
        { opName: "ASSIGN_VARIABLE", inputs: [0, 3], outputs: [] },
      ],
    },
    {
      tensors: [resource, i32Const([10])],
      inputs: [],
      outputs: [],
      operators: [
        {
          opName: "VAR_HANDLE",
          optionsTable: "VarHandleOptions",
          options: { sharedName: "counter" },
          inputs: [],
          outputs: [0],
        },
        { opName: "ASSIGN_VARIABLE", inputs: [0, 1], outputs: [] },
      ],
    },
  ]);
}

describe("CALL_ONCE and resource variables", () => {
  test("init runs on the first invocation only; the counter increments per invoke", () => {
    // TFLM call_once_test.cc CallOnceShouldOnlyInvokeSubgraphOnce: 1 or 10 invocations, the init subgraph once.
    const model = counterModel();
    assert.equal(model.resourceVariables.length, 1);
    assert.equal(model.resourceVariables[0]!.byteLength, 4);
    const session = model.createSession();
    const seen = Array.from({ length: 10 }, () => session.run([])[0]![0]);
    assert.deepEqual(seen, [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  test("reset zeroes the variable and, as in TFLM, does not run init again", () => {
    // TFLM MicroInterpreter::Reset: ResetSubgraphs (CALL_ONCE has no reset) then ResetVariableTensors, whose
    // MicroResourceVariables::ResetAll fills every variable with its default (zero point) byte.
    const session = counterModel().createSession();
    session.run([]);
    session.run([]);
    session.reset();
    assert.deepEqual(
      [1, 2, 3].map(() => session.run([])[0]![0]),
      [1, 2, 3],
    );
  });

  test("sessions keep their own variables", () => {
    const model = counterModel();
    const a = model.createSession();
    const b = model.createSession();
    a.run([]);
    a.run([]);
    assert.equal(b.run([])[0]![0], 11);
    assert.equal(a.run([])[0]![0], 13);
  });

  test("a variable read before any assignment holds its value's int8 zero point (TFLM Allocate)", () => {
    const q: WriterTensor = { dtype: "int8", shape: [2], quantization: { scale: [0.5], zeroPoint: [-3] } };
    const model = load([
      {
        // out = READ(h); ASSIGN(h, x): each invocation returns the previous input.
        tensors: [resource, q, q],
        inputs: [1],
        outputs: [2],
        operators: [
          {
            opName: "VAR_HANDLE",
            optionsTable: "VarHandleOptions",
            options: { container: "c", sharedName: "prev" },
            inputs: [],
            outputs: [0],
          },
          { opName: "READ_VARIABLE", inputs: [0], outputs: [2] },
          { opName: "ASSIGN_VARIABLE", inputs: [0, 1], outputs: [] },
        ],
      },
    ]);
    const session = model.createSession();
    assert.deepEqual([...session.run([[5, 6]])[0]!], [-3, -3]);
    assert.deepEqual([...session.run([[7, 8]])[0]!], [5, 6]);
    session.reset();
    assert.deepEqual([...session.run([[1, 2]])[0]!], [-3, -3]);
  });

  test("a READ of a different size than the variable fails with a clear error", () => {
    const model = load([
      {
        tensors: [resource, i32([2]), i32([3])],
        inputs: [1],
        outputs: [2],
        operators: [
          {
            opName: "VAR_HANDLE",
            optionsTable: "VarHandleOptions",
            options: { sharedName: "v" },
            inputs: [],
            outputs: [0],
          },
          { opName: "ASSIGN_VARIABLE", inputs: [0, 1], outputs: [] },
          { opName: "READ_VARIABLE", inputs: [0], outputs: [2] },
        ],
      },
    ]);
    assert.throws(
      () => model.createSession().run([[1, 2]]),
      (err) =>
        err instanceof KernelError &&
        /READ_VARIABLE: resource variable "v" holds 8 bytes, the output takes 12/.test(err.message),
    );
  });
});

describe("one arena for all subgraphs", () => {
  test("a single subgraph puts operator k at step k", () => {
    const t = planSubgraphTimeline([[[], [], []]]);
    assert.deepEqual(t.opSpans, [
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
    ]);
    assert.deepEqual(t.windows, [[0, 2]]);
    assert.deepEqual(t.shared, [null]);
  });

  test("called subgraphs nest inside the calling op; one called from two places stays reserved between", () => {
    // Subgraph 0: op 0 calls 1 and 2, op 1 plain, op 2 calls 2 again.
    const t = planSubgraphTimeline([[[1, 2], [], [2]], [[]], [[], []]]);
    assert.deepEqual(t.opSpans[0], [
      [0, 3],
      [4, 4],
      [5, 5],
    ]);
    assert.deepEqual(t.windows, [
      [0, 5],
      [0, 0],
      [1, 2],
    ]);
    assert.deepEqual(t.shared, [null, null, [0, 5]]);
  });

  test("a branch's buffers reuse main-graph memory that is dead during the call", () => {
    // Main: x [1,1024] -> RESHAPE -> x2 -> SHAPE -> s (int32[2]) -> IF(c, s) -> out. The branch (ADD(s, s)) runs
    // when x is dead, so its two buffers go where x was instead of growing the arena.
    const big = f32([1, 1024]);
    const model = load([
      {
        tensors: [big, big, i32([2]), bool([1]), i32([2])],
        inputs: [0, 3],
        outputs: [4],
        operators: [
          { opName: "RESHAPE", inputs: [0], outputs: [1] },
          { opName: "SHAPE", optionsTable: "ShapeOptions", inputs: [1], outputs: [2] },
          {
            opName: "IF",
            optionsTable: "IfOptions",
            options: { thenSubgraphIndex: 1, elseSubgraphIndex: 1 },
            inputs: [3, 2, 2],
            outputs: [4],
          },
        ],
      },
      binary("ADD", i32([2])),
    ]);
    const branch = model.subgraphs[1]!;
    const mainOffsets = model.subgraphs[0]!.tensorOffsets;
    for (const t of [0, 1, 2]) {
      const offset = branch.tensorOffsets[t]!;
      assert.ok(offset >= mainOffsets[0]! && offset + 16 <= mainOffsets[0]! + 4096, `branch tensor ${t} at ${offset}`);
    }
    // Only the condition, alive beside x from the start, needs bytes of its own; side by side would add the
    // branch's 2 × 16 bytes.
    assert.equal(model.arenaBytes, 2 * 4096 + 16);
    assert.deepEqual([...model.createSession().run([new Float32Array(1024), [1]])[0]!], [2, 2048]);
  });
});
