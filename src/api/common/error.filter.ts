import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { type Request, type Response } from 'express';
import { DomainError, DomainErrorCode, type FieldProblem } from '../../modules/platform/errors/domain-error.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  fields?: FieldProblem[];
}

const statusOf: Record<DomainErrorCode, HttpStatus> = {
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.AlreadyExists]: HttpStatus.CONFLICT,
  [DomainErrorCode.StageConflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.InvalidInput]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.UpdateRejected]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.DependencyUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [DomainErrorCode.IdempotencyConflict]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.RuleRefused]: HttpStatus.UNPROCESSABLE_ENTITY,
};

function body(status: HttpStatus, code: string, message: string, fields?: FieldProblem[]): ErrorBody {
  const error = HttpStatus[status]
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
  return { statusCode: status, error, code, message, ...(fields && fields.length > 0 ? { fields } : {}) };
}

/**
 * The methods each documented path takes (from the OpenAPI document, once it is made), so that a
 * known path asked with another method answers 405 with `Allow` rather than 404.
 */
@Injectable()
export class RouteMethods {
  private table: Array<{ pattern: RegExp; allow: string[] }> = [];

  set(table: Array<{ pattern: RegExp; allow: string[] }>): void {
    this.table = table;
  }

  /** Every method some documented path matching `path` takes (none: the path is unknown). */
  allowed(path: string): string[] | undefined {
    const matching = this.table.filter((entry) => entry.pattern.test(path));
    return matching.length > 0 ? [...new Set(matching.flatMap((entry) => entry.allow))] : undefined;
  }
}

/** Network and server-shutdown codes that mean "down", not "wrong": PostgreSQL's and Node's. */
const DATABASE_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const GRPC_UNAVAILABLE = 14;

/** Which dependency an error says is down (following its causes), if any. */
function unreachableDependency(exception: unknown): string | undefined {
  for (let error = exception as { code?: unknown; cause?: unknown; message?: unknown; name?: unknown } | undefined, depth = 0; error && depth < 5; depth++) {
    if (typeof error.code === 'string' && DATABASE_DOWN.has(error.code)) return 'The case store';
    if (typeof error.message === 'string' && /Connection terminated|connection timeout exceeded/i.test(error.message)) return 'The case store';
    if (error.code === GRPC_UNAVAILABLE || (error.name === 'ServiceError' && /UNAVAILABLE/.test(String(error.message)))) return 'Temporal';
    error = error.cause as typeof error;
  }
  return undefined;
}

/** The one place where errors become HTTP answers. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: AppLogger,
    private readonly routes: RouteMethods,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    // No route matched: a known path with a method it does not take is a 405 naming those it does.
    // (`originalUrl`: the not-found handler is mounted under the global prefix, which `path` leaves out.)
    const allow = exception instanceof NotFoundException ? this.routes.allowed(request.originalUrl.split('?')[0]) : undefined;
    if (allow && !allow.includes(request.method)) {
      response.setHeader('Allow', allow.join(', '));
      response.status(HttpStatus.METHOD_NOT_ALLOWED).json(body(HttpStatus.METHOD_NOT_ALLOWED, 'method_not_allowed', `${request.method} is not allowed here; allowed: ${allow.join(', ')}`));
      return;
    }
    const answer = this.toBody(exception);
    if (exception instanceof DomainError) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    }
    if (answer.statusCode >= 500) this.logger.error({ msg: 'request failed', err: exception }, 'ErrorFilter');
    // A refusal a route made itself (an alert of another role, an inbox the role may not read) is a
    // failed authorization too: logged as the guard logs its own (the route pattern, who, which field).
    if (exception instanceof DomainError && exception.code === DomainErrorCode.Forbidden && !exception.securityLogged) {
      const actor = (request as Request & { actor?: { subject: string } }).actor;
      const route = (request.route as { path?: string } | undefined)?.path;
      this.logger.pino.warn(
        { context: 'Access', code: exception.code, route: route ? `${request.baseUrl}${route}` : '(unmatched)', subject: actor?.subject, fields: exception.fields.map((field) => field.field) },
        'access denied',
      );
    }
    // JSON whatever the route had set for its own answer (a CSV route, say).
    response.removeHeader('Content-Disposition');
    response.status(answer.statusCode).type('application/json').json(answer);
  }

  private toBody(exception: unknown): ErrorBody {
    const dependency = unreachableDependency(exception);
    if (dependency) return body(HttpStatus.SERVICE_UNAVAILABLE, DomainErrorCode.DependencyUnavailable, `${dependency} cannot be reached just now: nothing was recorded; try again`);
    if (exception instanceof DomainError) {
      return body(statusOf[exception.code], exception.code, exception.message, exception.fields);
    }
    if (exception instanceof WorkflowNotFoundError) {
      return body(HttpStatus.NOT_FOUND, DomainErrorCode.NotFound, 'No such case');
    }
    if (exception instanceof WorkflowExecutionAlreadyStartedError) {
      return body(HttpStatus.CONFLICT, DomainErrorCode.AlreadyExists, 'Already started');
    }
    if (exception instanceof WorkflowUpdateFailedError) {
      const cause = exception.cause instanceof Error ? exception.cause.message : exception.message;
      return body(HttpStatus.UNPROCESSABLE_ENTITY, DomainErrorCode.UpdateRejected, cause);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (typeof raw === 'object' && raw !== null && 'code' in raw) return raw as ErrorBody;
      const message = typeof raw === 'string' ? raw : ((raw as { message?: unknown }).message ?? exception.message);
      const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : JSON.stringify(message);
      return body(status, status === 404 ? 'not_found' : 'http_error', text);
    }
    return body(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'Internal error');
  }
}
