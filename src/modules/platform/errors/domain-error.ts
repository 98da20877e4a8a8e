/** Errors below the API layer carry a code; the API maps each code to an HTTP status. */
export enum DomainErrorCode {
  NotFound = 'not_found',
  AlreadyExists = 'already_exists',
  StageConflict = 'stage_conflict',
  InvalidInput = 'invalid_input',
  UpdateRejected = 'update_rejected',
  DependencyUnavailable = 'dependency_unavailable',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  RateLimited = 'rate_limited',
  IdempotencyConflict = 'idempotency_conflict',
  /** Well-formed, but a rule the API document cannot state refuses it (a time in the future). */
  RuleRefused = 'rule_refused',
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
    /** Response headers the answer must carry (WWW-Authenticate, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** Already in the security log (the access guard logs its own refusals, with their reason). */
  securityLogged = false;
}
