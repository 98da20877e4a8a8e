import { DATE, DATE_TIME, IsText, Optional } from '../common/text.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { assignmentReasons, regradeReasons } from '../../domain/alerts.js';
import { phonePattern } from '../../domain/caller-identity.js';
import { allChannels, Channel, channelDetailRules, SocialMediaPlatform } from '../../domain/channels.js';
import { DocumentedRule } from '../common/schema-rules.js';
import { escalationReasons, pauseReasons } from '../../domain/clocks.js';
import { noteKinds, outcomes, referralKinds, stages } from '../../domain/contact-case.js';
import { allIncidentCategories, crimeClassifications, incidentQualifiers, noCrimeReasons } from '../../domain/recording.js';
import { RiskFlag } from '../../domain/risk-screening.js';
import { factorLevels, MIN_RATIONALE_LENGTH } from '../../domain/thrive.js';

export class CallerDto {
  @ApiPropertyOptional({ maxLength: 200 }) @Optional() @IsText(0, 200) name?: string;
  @ApiPropertyOptional({ example: '+44 121 496 0000' }) @Optional() @Matches(phonePattern, { message: 'phone must be a telephone number' }) phone?: string;
  @ApiPropertyOptional() @Optional() @IsEmail() email?: string;
  @ApiPropertyOptional({ maxLength: 500 }) @Optional() @IsText(0, 500) address?: string;
  @ApiPropertyOptional({ format: 'date' }) @Optional() @Matches(DATE, { message: 'dateOfBirth must be a date such as 1970-01-31' }) @IsISO8601({ strict: true }) dateOfBirth?: string;
  @ApiPropertyOptional({ description: 'The person reporting does not give their details' }) @Optional() @IsBoolean() anonymous?: boolean;
}

export class LocationDto {
  @ApiPropertyOptional({ maxLength: 500 }) @Optional() @IsText(0, 500) description?: string;
  @ApiPropertyOptional({ example: 'B1 1AA' })
  @Optional()
  @Matches(/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/, { message: 'postcode must be a UK postcode' })
  postcode?: string;
  @ApiPropertyOptional({ enum: ['urban', 'rural'] }) @Optional() @IsIn(['urban', 'rural']) area?: 'urban' | 'rural';
}

export class ChannelDetailsDto {
  @ApiPropertyOptional({ description: 'Single Online Home web form title (web-form)' }) @Optional() @IsText(1, 200) title?: string;
  @ApiPropertyOptional({ enum: SocialMediaPlatform, description: 'social-media' }) @Optional() @IsEnum(SocialMediaPlatform) platform?: SocialMediaPlatform;
  @ApiPropertyOptional({ description: 'Account handle (social-media)' }) @Optional() @IsText(1, 100) handle?: string;
  @ApiPropertyOptional({ description: 'Front-counter station (face-to-face)' }) @Optional() @IsText(1, 100) station?: string;
  @ApiPropertyOptional({ description: 'Weather phone location or internal department' }) @Optional() @IsText(1, 100) origin?: string;
}

/**
 * The channel details each channel needs and takes (the domain's table, which the intake checks):
 * one branch per group of channels that share a rule.
 */
const channelDetailsRule = {
  anyOf: channelDetailRules().map(({ channels, required, allowed }) => ({
    properties: {
      channel: { enum: channels },
      channelDetails: { type: 'object', properties: Object.fromEntries(allowed.map((field) => [field, {}])), ...(required.length > 0 ? { required } : {}), additionalProperties: false },
    },
    required: required.length > 0 ? ['channel', 'channelDetails'] : ['channel'],
  })),
};

@DocumentedRule(channelDetailsRule)
export class CreateContactDto {
  @ApiProperty({ enum: allChannels }) @IsEnum(Channel) channel!: Channel;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the contact arrived; now when absent' }) @Optional() @Matches(DATE_TIME, { message: 'receivedAt must be an RFC 3339 date-time' }) @IsISO8601({ strict: true }) receivedAt?: string;
  @ApiProperty({ type: CallerDto }) @IsObject() @ValidateNested() @Type(() => CallerDto) caller!: CallerDto;
  @ApiProperty({ maxLength: 10_000, description: 'What the person reported, in their words' }) @IsText(1, 10_000) narrative!: string;
  @ApiPropertyOptional({ enum: RiskFlag, isArray: true }) @Optional() @IsArray() @ArrayUnique() @IsEnum(RiskFlag, { each: true }) flags?: RiskFlag[];
  @ApiPropertyOptional({ type: LocationDto }) @Optional() @IsObject() @ValidateNested() @Type(() => LocationDto) location?: LocationDto;
  @ApiPropertyOptional({ description: 'Interpreter (Language Line) needed, in this language' }) @Optional() @IsText(2, 64) interpreterLanguage?: string;
  @ApiPropertyOptional({ type: ChannelDetailsDto }) @Optional() @IsObject() @ValidateNested() @Type(() => ChannelDetailsDto) channelDetails?: ChannelDetailsDto;
}

export class FactorDto {
  @ApiProperty({ enum: factorLevels }) @IsIn(factorLevels) level!: (typeof factorLevels)[number];
  @ApiProperty({ minLength: MIN_RATIONALE_LENGTH }) @IsText(MIN_RATIONALE_LENGTH, 2000) rationale!: string;
}

export class FactorsDto {
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) threat!: FactorDto;
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) harm!: FactorDto;
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) risk!: FactorDto;
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) investigation!: FactorDto;
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) vulnerability!: FactorDto;
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) engagement!: FactorDto;
  @ApiProperty() @IsObject() @ValidateNested() @Type(() => FactorDto) safeguarding!: FactorDto;
}

export class AssessmentDto {
  @ApiProperty({ type: FactorsDto }) @IsObject() @ValidateNested() @Type(() => FactorsDto) factors!: FactorsDto;
  @ApiProperty({ enum: [1, 2, 3, 4] }) @IsInt() @Min(1) @Max(4) proposedGrade!: 1 | 2 | 3 | 4;
}

export class DowngradeDecisionDto {
  @ApiProperty({ description: 'true approves the pending downgrade, false refuses it' }) @IsBoolean() approve!: boolean;
  @ApiProperty({ minLength: MIN_RATIONALE_LENGTH }) @IsText(MIN_RATIONALE_LENGTH, 2000) rationale!: string;
}

export class IncidentDto {
  @ApiProperty({ enum: allIncidentCategories }) @IsIn(allIncidentCategories) openingCategory!: (typeof allIncidentCategories)[number];
  @ApiProperty({ enum: incidentQualifiers, isArray: true }) @IsArray() @ArrayUnique() @ArrayMaxSize(incidentQualifiers.length) @IsIn(incidentQualifiers, { each: true }) qualifiers!: Array<(typeof incidentQualifiers)[number]>;
}

export class CrimeDecisionDto {
  @ApiProperty() @IsBoolean() crimeRecorded!: boolean;
  @ApiPropertyOptional({ enum: crimeClassifications }) @Optional() @IsIn(crimeClassifications) classification?: (typeof crimeClassifications)[number];
  @ApiPropertyOptional({ enum: noCrimeReasons }) @Optional() @IsIn(noCrimeReasons) noCrimeReason?: (typeof noCrimeReasons)[number];
  @ApiPropertyOptional({ description: "The victim declined referral to victim support (Victims' Code): no 2-day referral clock" })
  @Optional()
  @IsBoolean()
  victimSupportOptOut?: boolean;
}

export class AttendanceDto {
  @ApiProperty({ enum: ['dispatched', 'arrived'] }) @IsIn(['dispatched', 'arrived']) event!: 'dispatched' | 'arrived';
  @ApiPropertyOptional({ description: 'Call sign of the unit' }) @Optional() @IsText(1, 32) unit?: string;
}

export class ReferralDto {
  @ApiProperty() @IsText(2, 128) agency!: string;
  @ApiProperty({ enum: referralKinds }) @IsIn(referralKinds) kind!: (typeof referralKinds)[number];
  @ApiProperty() @IsText(5, 2000) reason!: string;
}

export class NoteDto {
  @ApiProperty({ maxLength: 5000 }) @IsText(1, 5000) text!: string;
  @ApiPropertyOptional({ enum: noteKinds, default: 'general', description: '`victim-update`: the victim was told of progress (meets the Victims\' Code clocks)' })
  @Optional()
  @IsIn(noteKinds)
  kind?: (typeof noteKinds)[number];
}

export class EscalationDto {
  @ApiProperty({ enum: escalationReasons }) @IsIn(escalationReasons) reason!: (typeof escalationReasons)[number];
}

@DocumentedRule({ anyOf: [{ properties: { action: { enum: ['resume'] } } }, { required: ['reason'] }] })
export class ClockPauseDto {
  @ApiProperty({ description: "The clock's id on the case, for example `attendance-1`", example: 'attendance-1' })
  @Matches(/^[a-z-]+-[0-9]{1,3}$/, { message: 'clock must be a clock id such as attendance-1' })
  clock!: string;
  @ApiProperty({ enum: ['pause', 'resume'] }) @IsIn(['pause', 'resume']) action!: 'pause' | 'resume';
  @ApiPropertyOptional({ enum: pauseReasons, description: 'Required to pause' }) @Optional() @IsIn(pauseReasons) reason?: (typeof pauseReasons)[number];
}

export class ResolutionDto {
  @ApiProperty({ enum: outcomes }) @IsIn(outcomes) outcome!: (typeof outcomes)[number];
  @ApiProperty({ enum: allIncidentCategories, description: 'NSIR closing category (may differ from the opening one)' })
  @IsIn(allIncidentCategories)
  closingCategory!: (typeof allIncidentCategories)[number];
  @ApiPropertyOptional({ format: 'date-time' }) @Optional() @Matches(DATE_TIME, { message: 'appointmentAt must be an RFC 3339 date-time' }) @IsISO8601({ strict: true }) appointmentAt?: string;
  @ApiPropertyOptional() @Optional() @IsText(2, 200) signpostedTo?: string;
  @ApiPropertyOptional() @Optional() @IsText(5, 2000) noFurtherActionReason?: string;
}

export class QueueQueryDto {
  @ApiPropertyOptional({ enum: stages }) @Optional() @IsIn(stages) stage?: (typeof stages)[number];
  @ApiPropertyOptional({ enum: allChannels }) @Optional() @IsEnum(Channel) channel?: Channel;
  @ApiPropertyOptional({ enum: [1, 2, 3, 4] }) @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(4) grade?: number;
  @ApiPropertyOptional({ enum: ['IR'] }) @Optional() @IsIn(['IR']) riskMarker?: 'IR';
  @ApiPropertyOptional() @Optional() @IsText(1, 128) assignee?: string;
  @ApiPropertyOptional() @Optional() @IsText(1, 64) team?: string;
  @ApiPropertyOptional({ description: 'Only cases with (true) or without (false) a breached clock' })
  @Optional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  breached?: boolean;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @Optional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class AssignmentDto {
  @ApiProperty({ description: "The staff member's identity-provider subject; a contact handler may name only themself (a claim)", example: 'pc-3301' })
  @IsString()
  @Matches(/^[A-Za-z0-9._@-]{1,128}$/, { message: 'assignee must be a staff subject: 1 to 128 letters, digits, dots, dashes, underscores or @' })
  assignee!: string;
  @ApiPropertyOptional({ description: "The team; the case's own team when left out", example: 'contact-centre' })
  @Optional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'team must be 1 to 64 lower-case letters, digits or dashes' })
  team?: string;
  @ApiProperty({ enum: assignmentReasons }) @IsIn(assignmentReasons) reason!: (typeof assignmentReasons)[number];
}

export class RegradeDto {
  @ApiProperty({ enum: [1, 2, 3, 4] }) @IsInt() @Min(1) @Max(4) grade!: 1 | 2 | 3 | 4;
  @ApiProperty({ enum: regradeReasons }) @IsIn(regradeReasons) reason!: (typeof regradeReasons)[number];
}
