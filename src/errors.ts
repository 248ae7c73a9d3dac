/**
 * Every error the project raises on purpose, one named class each, with a stable `code`.
 * The server maps each class to an HTTP status once (server/errors.ts); nothing else should invent error shapes.
 */

export abstract class EdgeInferenceError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A .tflite file that is malformed, truncated, hostile or uses a schema feature we do not read. */
export class ModelFormatError extends EdgeInferenceError {
  readonly code = "MODEL_FORMAT";
}

/** A model that is well-formed but uses an operator (or type combination) with no kernel here. */
export class UnsupportedOpError extends EdgeInferenceError {
  readonly code = "UNSUPPORTED_OP";
}

/** Inputs that do not fit the model: wrong count, shape, type, or values out of range. */
export class InputError extends EdgeInferenceError {
  readonly code = "INVALID_INPUT";
}

/** A kernel's prepare step rejected its node (bad tensor types, shapes or parameters). */
export class KernelError extends EdgeInferenceError {
  readonly code = "KERNEL";
}
