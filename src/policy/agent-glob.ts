/**
 * A policy `match` glob as an anchored RegExp, compiled once per file. Agent ids are not paths:
 * `*` matches any run of characters including `/` and `.`, `?` exactly one character (a code
 * point, so one emoji is one character), and everything else, regex metacharacters and
 * backslashes included, matches itself. Case-sensitive, like the ids agents report.
 */
export function compileAgentGlob(glob: string): RegExp {
  let source = '';
  let previous = '';
  for (const char of glob) {
    // A run of stars is one star: `.*.*` only adds backtracking.
    if (char === '*') source += previous === '*' ? '' : '.*';
    else if (char === '?') source += '.';
    else source += escapeRegExpChar(char);
    previous = char;
  }
  // `s`: ids are free text from the wire, and `.` must match a line break in one too.
  return new RegExp(`^${source}$`, 'su');
}

// The characters with a meaning in a `u`-mode pattern; escaping anything else is a syntax error.
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');

function escapeRegExpChar(char: string): string {
  return SYNTAX_CHARS.has(char) ? `\\${char}` : char;
}
