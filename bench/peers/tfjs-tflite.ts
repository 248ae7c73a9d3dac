/**
 * tfjs-tflite (TensorFlow Lite's interpreter with XNNPACK, compiled to WebAssembly; single-threaded SIMD build) as
 * a benchmark peer. The Node 20 loading shims live in test/support/tfjs-tflite.ts, shared with the tests.
 */
import { createRequire } from "node:module";
import { loadPeerModel } from "../../test/support/tfjs-tflite.js";
import { bytesOf, type Peer, type PeerSession, type RawTensor } from "./peer.js";

function version(): string {
  const require = createRequire(import.meta.url);
  try {
    return (require("@tensorflow/tfjs-tflite/package.json") as { version: string }).version;
  } catch {
    return "?";
  }
}

export const tfjsTflite: Peer = {
  name: "tfjs-tflite",
  label: `tfjs-tflite ${version()} (WASM SIMD + XNNPACK, 1 thread)`,
  async load(model: Uint8Array): Promise<PeerSession> {
    const runner = await loadPeerModel(model);
    // The tensor wrappers are fetched once; their data() views are taken per call, since a view into the
    // WebAssembly heap would be detached if the heap grew.
    const inputs = runner.getInputs();
    const outputs = runner.getOutputs();
    return {
      call(values: readonly Uint8Array[]): RawTensor[] {
        for (let k = 0; k < inputs.length; k++) bytesOf(inputs[k]!.data()).set(values[k]!);
        if (!runner.infer()) throw new Error("infer() returned false");
        return outputs.map((t) => t.data().slice());
      },
      dispose() {
        runner.cleanUp();
      },
    };
  },
};
