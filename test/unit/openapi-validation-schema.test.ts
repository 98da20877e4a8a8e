import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage, IsEmail, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { describeProperty } from '../../src/api/common/validation-schema.js';
import { IsText } from '../../src/api/common/text.js';

class Example {
  @IsOptional() @IsText(2, 64) language?: string;
  @IsEmail() email!: string;
  @IsInt() @Min(1) @Max(4) grade!: number;
  @IsIn(['pause', 'resume']) action!: string;
  @Matches(/^a+$/i) shouted!: string;
  @IsOptional() @Matches(/^[a-z]+$/) plain?: string;
}

const rulesOf = (property: string) =>
  getMetadataStorage()
    .getTargetValidationMetadatas(Example, '', true, false)
    .filter((rule) => rule.propertyName === property);

describe('the OpenAPI schema derived from the validation rules', () => {
  it('says what each rule checks', () => {
    expect(describeProperty(rulesOf('language'))).toEqual({
      schema: { type: 'string', minLength: 2, maxLength: 64, pattern: expect.stringContaining('\\u0000') },
      items: {},
      required: false,
    });
    expect(describeProperty(rulesOf('email'))).toEqual({ schema: { type: 'string', format: 'email' }, items: {}, required: true });
    expect(describeProperty(rulesOf('grade'))).toEqual({ schema: { type: 'integer', minimum: 1, maximum: 4 }, items: {}, required: true });
    expect(describeProperty(rulesOf('action'))).toEqual({ schema: { enum: ['pause', 'resume'] }, items: {}, required: true });
    expect(describeProperty(rulesOf('plain'))).toEqual({ schema: { type: 'string', pattern: '^[a-z]+$' }, items: {}, required: false });
  });

  it('refuses a pattern with flags, which a JSON Schema pattern cannot carry', () => {
    expect(() => describeProperty(rulesOf('shouted'))).toThrow(/without flags/);
  });

  it('refuses a rule it cannot describe, rather than leave the document looser than the validation', () => {
    const [rule] = rulesOf('email');
    expect(() => describeProperty([{ ...rule, type: 'customValidation', name: 'isPostalCode' }])).toThrow(/isPostalCode.*has no OpenAPI description/);
  });
});
