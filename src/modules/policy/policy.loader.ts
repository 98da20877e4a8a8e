import { readFileSync } from 'node:fs';
import { type ContactPolicy } from '../../domain/policy.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';
import { asContactPolicy, contactPolicySchema } from './policy.schema.js';

export interface LoadedPolicy {
  policy: ContactPolicy;
  /** Of the policy's canonical JSON: one version must always name one content. */
  sha256: string;
  file: string;
}

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Policy ${file} is not valid: ${problems.join('; ')}`);
    this.name = 'PolicyFileError';
  }
}

/** Reads and validates a policy file: a clear error naming each problem's path, or the policy. */
export function parsePolicy(content: unknown, file = '(inline)'): LoadedPolicy {
  const parsed = contactPolicySchema.safeParse(content);
  if (!parsed.success) {
    throw new PolicyFileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const policy = asContactPolicy(parsed.data);
  return { policy, sha256: sha256(canonicalJson(policy)), file };
}

export function loadPolicyFile(file: string): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(file, [`is not JSON: ${(error as Error).message}`]);
  }
  return parsePolicy(content, file);
}
