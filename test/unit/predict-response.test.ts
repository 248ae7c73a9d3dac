/**
 * /predict writes its common responses as JSON text directly (speed); that text must be byte-identical to what
 * Fastify's schema serializer makes of the response object, for every output type, batch, label set, awkward
 * name and special float. The serializer (fast-json-stringify, Fastify's own) is the reference.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import fastJsonStringify from "fast-json-stringify";
import { Model, type TypedArray } from "../../src/index.js";
import { allocate } from "../../src/runtime/tensor.js";
import { predictResponse, predictResponseJson, predictResponseSchema } from "../../src/server/plugins/predict.js";
import type { LoadedModel } from "../../src/server/repository.js";
import { loadManifest, oraclePath, PROJECT_ROOT, readBytes, sharedUnavailable } from "../support/shared.js";

const SPECIALS = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e-300, 1e300, 5e-324, 0.1];

function models(): { file: string; model: Model }[] {
  const dir = path.join(PROJECT_ROOT, "models");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".tflite"))
    .map((f) => path.join(dir, f));
  if (!sharedUnavailable())
    for (const entry of Object.values(loadManifest().models)) files.push(oraclePath(entry.file));
  return files.map((file) => ({ file, model: Model.fromBytes(readBytes(file)) }));
}

test("direct JSON equals the schema serializer's output, byte for byte", () => {
  const serialize = fastJsonStringify(predictResponseSchema as Parameters<typeof fastJsonStringify>[0]);
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let direct = 0;
  for (const { file, model } of models()) {
    for (const name of ["iris", 'we"ird\\name\u2028é\u0001']) {
      for (const batch of [1, 2]) {
        for (let trial = 0; trial < 4; trial++) {
          const first = model.outputs[0]!;
          const n0 = first.shape.reduce((a, d) => a * d, 1);
          const labels =
            trial % 2 && n0 < 50 ? Array.from({ length: n0 }, (_, i) => (i === 1 ? 'la"bel' : `l${i}`)) : undefined;
          const loaded = {
            name,
            version: trial % 2 ? "1" : "12",
            model,
            meta: labels ? { labels } : {},
          } as unknown as LoadedModel;
          const outputs: TypedArray[] = model.outputs.map((t) => {
            const values = allocate(t.dtype, t.shape.reduce((a, d) => a * d, 1) * batch);
            for (let i = 0; i < values.length; i++) {
              if (values instanceof BigInt64Array || values instanceof BigUint64Array)
                values[i] = BigInt(Math.floor(random() * 100));
              else if (values instanceof Float32Array || values instanceof Float64Array) {
                values[i] =
                  trial >= 2 && random() < 0.2
                    ? SPECIALS[Math.floor(random() * SPECIALS.length)]!
                    : (random() - 0.3) * 10 ** Math.floor(random() * 8 - 4);
              } else if (t.dtype === "bool") values[i] = random() < 0.5 ? 1 : 0;
              else (values as Int8Array)[i] = Math.floor(random() * 256) - 128;
            }
            return values;
          });
          const ms = random() * 3;
          const json = predictResponseJson(loaded, outputs, batch, ms);
          if (json === null) continue; // written by the serializer itself: nothing to compare
          direct++;
          assert.equal(
            json,
            serialize(predictResponse(loaded, outputs, batch, ms)),
            `${file} ${name} batch ${batch} trial ${trial}`,
          );
        }
      }
    }
  }
  assert.ok(direct > 0, "no response took the direct path");
});
