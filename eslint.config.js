// Lint: neostandard (the standard style this code is written in) with its TypeScript rules.
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'dist-bench/**', 'coverage/**', 'bench-results/**', '.scratch/**'] }),
  {
    rules: {
      // `void promise` marks a promise deliberately left to run (its errors handled inside).
      'no-void': ['error', { allowAsStatement: true }]
    }
  },
  {
    // Terminal code matches escape sequences and control characters on purpose, and measures
    // cells of combining marks and joiners.
    files: ['src/cli/view/**', 'src/cli/printable.ts', 'test/e2e/**', 'test/helpers/virtual-terminal.ts', 'test/unit/cli/**'],
    rules: {
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off'
    }
  }
]
