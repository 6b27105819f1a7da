// Error types the Kumo client throws: API errors from the JD envelope, unreachable endpoints, bad configuration.

/** The server answered with a JD error envelope (or a non-2xx status without one). */
export class KumoApiError extends Error {
  /** HTTP status of the response (equals `error.code` for JD envelopes). */
  readonly httpStatus: number;
  /** JD status string such as NOT_FOUND or FAILED_PRECONDITION. */
  readonly status: string;
  /** Request id from the body or the x-jdcloud-request-id header, '' if none. */
  readonly requestId: string;
  constructor(httpStatus: number, status: string, message: string, requestId: string) {
    super(message);
    this.name = 'KumoApiError';
    this.httpStatus = httpStatus;
    this.status = status;
    this.requestId = requestId;
  }
}

/** The endpoint could not be reached (connection refused, DNS failure, timeout). */
export class KumoUnreachableError extends Error {
  /** The endpoint that was tried. */
  readonly endpoint: string;
  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KumoUnreachableError';
    this.endpoint = endpoint;
  }
}

/** Credentials or configuration are missing or malformed. */
export class KumoConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KumoConfigError';
  }
}
