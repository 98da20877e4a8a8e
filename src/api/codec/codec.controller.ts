import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Payload } from '@temporalio/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Permission } from '../../domain/permissions.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { AesGcmPayloadCodec, isSealed, loadPayloadKeys, payloadBinding, splitBinding } from '../../modules/platform/temporal/payload-codec.js';
import { referenceOfWorkflowId } from '../../workflows/contact-case.messages.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const base64 = z.string().regex(BASE64, { error: 'must be base64' }).meta({ format: 'byte' });

/** A payload in the JSON form of Temporal's remote codec protocol: metadata values and data in base64. */
const jsonPayload = z.strictObject({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }).meta({ id: 'JsonPayloadDto' });
type JsonPayload = z.output<typeof jsonPayload>;

class PayloadsDto extends createZodDto(z.strictObject({ payloads: z.array(jsonPayload).max(1000) })) {}

function fromJson(payloads: JsonPayload[]): Payload[] {
  return payloads.map((payload, index) => {
    const metadata: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(payload.metadata ?? {})) {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        throw new DomainError(DomainErrorCode.InvalidInput, 'Invalid payloads', [{ field: `payloads.${index}.metadata.${key}`, message: 'must be base64' }]);
      }
      metadata[key] = Buffer.from(value, 'base64');
    }
    return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
  });
}

const toJson = (payloads: Payload[]): JsonPayload[] =>
  payloads.map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  }));

/**
 * The codec endpoint the Temporal Web UI calls to show payloads, which the server holds only as
 * ciphertext. Only supervisors and auditors may use it (the UI passes their access token), only
 * from the UI's origin (CORS). Each use is logged (who, how many, which namespace), and in the case
 * access log as a read of each case whose payloads it opened. It decodes only: payloads are sealed
 * by the system's own processes, never by a person through the UI.
 */
@ApiTags('codec')
@Controller('codec')
@ApiHeader({ name: 'X-Namespace', required: false, description: 'The namespace the Temporal UI is showing' })
export class CodecController {
  private readonly codec: AesGcmPayloadCodec;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly logger: AppLogger,
    private readonly cases: CaseQueries,
  ) {
    this.codec = new AesGcmPayloadCodec(loadPayloadKeys(config.codec.keys));
  }

  @Post('decode')
  @HttpCode(200)
  @RequirePermission(Permission.PayloadDecode)
  @ApiOperation({ summary: 'Decrypt payloads for the Temporal Web UI (remote codec protocol); each case whose payloads are opened is logged as read' })
  @ApiResponse({ status: 200, type: PayloadsDto })
  @ApiResponse({ status: 422, description: 'A payload cannot be decrypted (unknown key, or altered, or moved from its workflow); `fields` names it' })
  async decode(@Body() body: PayloadsDto, @CurrentActor() actor: NonNullable<AuthenticatedRequest['actor']>, @Headers('x-namespace') namespace?: string) {
    const payloads = fromJson(body.payloads);
    const decoded = await Promise.all(
      payloads.map((payload, index) =>
        this.codec.decode([payload]).then(
          ([plain]) => plain,
          () => {
            throw new DomainError(DomainErrorCode.UpdateRejected, 'A payload cannot be decrypted: its key is not configured, or it was altered', [
              { field: `payloads.${index}`, message: 'cannot be decrypted' },
            ]);
          },
        ),
      ),
    );
    // Which cases these payloads belong to (sealed into each): the case access log names them.
    const bindings = payloads.filter(isSealed).map(payloadBinding);
    const references = [...new Set(bindings.map((binding) => (binding ? referenceOfWorkflowId(splitBinding(binding).workflowId) : undefined)))];
    const cases = references.filter((reference): reference is string => reference !== undefined);
    this.logger.log({ msg: 'payloads decoded', subject: actor.subject, role: actor.role, namespace: namespace ?? null, count: payloads.length, cases: cases.length }, 'Codec');
    if (bindings.length > 0) await this.cases.logAccess(references.includes(undefined) ? [...cases, null] : cases, actor, 'payload-decode');
    return { payloads: toJson(decoded) };
  }
}
