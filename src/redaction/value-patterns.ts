// Patterns of sensitive values found inside any string attribute, whatever its key. Each is
// written so its cost stays linear in the string's length (bounded repetitions, anchored
// starts): they run on every string of every span, including 1 MB values an agent may send.

export interface ValuePattern {
  readonly name: string;
  readonly regex: RegExp;
  /** A further check on a match, e.g. the Luhn checksum of a card number. */
  readonly accept?: (match: string) => boolean;
}

function luhnValid(text: string): boolean {
  const digits = text.replace(/[^0-9]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export const BUILTIN_PATTERNS = {
  /** Payment card numbers: 13-19 digits, optionally grouped by spaces or dashes, Luhn-valid. */
  card_number: { name: 'card_number', regex: /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g, accept: luhnValid },
  email: { name: 'email', regex: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g },
  /** US social security numbers in their written form (123-45-6789). */
  us_ssn: { name: 'us_ssn', regex: /(?<![0-9-])[0-9]{3}-[0-9]{2}-[0-9]{4}(?![0-9-])/g },
  /** Provider credentials with a recognisable shape: OpenAI/Anthropic-style sk-, GitHub, Slack, AWS access key ids. */
  secret_token: { name: 'secret_token', regex: /(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{20,200}|gh[pousr]_[A-Za-z0-9]{36,255}|xox[abpr]-[A-Za-z0-9-]{10,200}|(?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9])/g },
} as const satisfies Record<string, ValuePattern>;

export type BuiltinPatternName = keyof typeof BUILTIN_PATTERNS;
export const BUILTIN_PATTERN_NAMES = Object.keys(BUILTIN_PATTERNS) as [BuiltinPatternName, ...BuiltinPatternName[]];
