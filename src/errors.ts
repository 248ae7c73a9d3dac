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

/** A model, model version or tensor name that the server does not have. */
export class NotFoundError extends EdgeInferenceError {
  readonly code = "NOT_FOUND";
}

/** The inference queue is full: the client should retry after `retryAfterSeconds`. */
export class OverloadError extends EdgeInferenceError {
  readonly code = "OVERLOADED";
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/** A request that did not finish within its time limit (queue wait plus inference). */
export class TimeoutError extends EdgeInferenceError {
  readonly code = "TIMEOUT";
}

/** The server or the model is not ready: starting, draining for shutdown, or the model failed to load. */
export class UnavailableError extends EdgeInferenceError {
  readonly code = "UNAVAILABLE";
}

/** A request without the bearer token the server was configured with. */
export class UnauthorizedError extends EdgeInferenceError {
  readonly code = "UNAUTHORIZED";
}

/** A malformed request that is not about tensor values: a bad header, framing or parameter. */
export class RequestError extends EdgeInferenceError {
  readonly code = "BAD_REQUEST";
}

/** An invalid setting in the environment or on the command line. */
export class ConfigError extends EdgeInferenceError {
  readonly code = "CONFIG";
}
