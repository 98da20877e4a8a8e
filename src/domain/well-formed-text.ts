import { type FieldProblem } from './channels.js';

/**
 * Text that is not well-formed Unicode: a lone UTF-16 surrogate, as a chat widget sends when it cuts
 * a message in the middle of an emoji. JSON carries it (`"\ud83d"`), JavaScript keeps it, but it has
 * no UTF-8 form, so PostgreSQL refuses it: a case holding one could never be recorded. Such text is
 * refused wherever it enters, naming the field.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isWellFormedText = (text: string) => !LONE_SURROGATE.test(text);

export const MALFORMED_TEXT_MESSAGE = 'must be well-formed Unicode (it holds half of a character, such as an emoji cut in two)';

/** Every string in `value` (object keys included) that is not well-formed, by its path (`caller.name`, `qualifiers[1]`). */
export function malformedTextProblems(value: unknown, path = ''): FieldProblem[] {
  if (typeof value === 'string') return isWellFormedText(value) ? [] : [{ field: path || 'body', message: `${path || 'the body'} ${MALFORMED_TEXT_MESSAGE}` }];
  if (Array.isArray(value)) return value.flatMap((item, index) => malformedTextProblems(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const field = path ? `${path}.${key}` : key;
      return [...(isWellFormedText(key) ? [] : [{ field: path || 'body', message: `a field name ${MALFORMED_TEXT_MESSAGE}` }]), ...malformedTextProblems(item, field)];
    });
  }
  return [];
}
