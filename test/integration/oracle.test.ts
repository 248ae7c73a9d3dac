/**
 * Every case of ../shared/oracle/manifest.json through our runtime: integer outputs must be byte-identical to
 * what TFLM's reference interpreter produced; float outputs within 1e-5 relative (1e-6 absolute near zero).
 * ORACLE_FILTER=<substring> limits the run to matching model names while developing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Model } from "../../src/index.js";
import { compareOutput, runCase } from "../support/oracle-run.js";
import { loadManifest, type OracleModel, oraclePath, readBytes, sharedUnavailable } from "../support/shared.js";

const skip = sharedUnavailable();
const filter = process.env.ORACLE_FILTER ?? "";

describe("TFLM oracle", { skip: skip ?? false }, () => {
  if (skip) return;
  const { models } = loadManifest();
  for (const [name, entry] of Object.entries(models) as [string, OracleModel][]) {
    if (filter && !name.includes(filter)) continue;
    describe(name, () => {
      let model: Model;
      try {
        model = Model.fromBytes(readBytes(oraclePath(entry.file)));
      } catch (err) {
        test("loads", () => {
          throw err;
        });
        return;
      }
      test("arena at or below TFLM's arena_used_bytes", () => {
        assert.ok(
          model.arenaBytes <= entry.arena_used_bytes,
          `arena ${model.arenaBytes} > TFLM ${entry.arena_used_bytes}`,
        );
      });
      for (const c of entry.cases) {
        test(c.name, () => {
          const outputs = runCase(model, entry, c);
          outputs.forEach((actual, k) => {
            const expected = readBytes(oraclePath(c.outputs[k]!));
            compareOutput(actual, expected, entry.outputs[k]!.dtype, `${name}/${c.name} output ${k}`);
          });
        });
      }
    });
  }
});
