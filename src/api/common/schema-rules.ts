/**
 * Rules across a request's fields that no single field's validation states (a platform needs its
 * handle; a pause needs a reason). Each is written once, as the JSON Schema combination the
 * OpenAPI document carries, next to the class it constrains; the code that enforces the rule
 * sits beside it, and the API's fuzzing checks that the two agree.
 */
const rules = new Map<string, Record<string, unknown>>();

/** Adds schema keywords (`anyOf`, `allOf`, `not`) to the class's schema in the OpenAPI document. */
export const DocumentedRule =
  (rule: Record<string, unknown>): ClassDecorator =>
  (target) => {
    rules.set(target.name, { ...rules.get(target.name), ...rule });
  };

/** Every documented rule, by the name of the schema it applies to. */
export const documentedRules = (): ReadonlyMap<string, Record<string, unknown>> => rules;
