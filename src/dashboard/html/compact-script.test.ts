import { describe, expect, it } from 'vitest';
import { compactScript } from './compact-script.js';
import { PAGE_SCRIPT } from './page-script.js';

describe('compactScript', () => {
  it('drops indentation, empty lines and whole-line comments, and nothing else', () => {
    const code = "(function () {\n  // a comment\n\n  var a = 'x // not a comment';   \n    return a\n  })();\n";
    expect(compactScript(code)).toBe("(function () {\nvar a = 'x // not a comment';\nreturn a\n})();");
  });

  it('is what the page inlines: its script has no indentation or comment line left, and still parses', () => {
    expect(PAGE_SCRIPT).toBe(compactScript(PAGE_SCRIPT));
    expect(PAGE_SCRIPT).not.toMatch(/^\s|\n\s|\n\/\//);
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });
});
