/**
 * Offsets as 1-based lines and columns for people and SARIF. Columns count UTF-16 code units,
 * as in the editor, and SARIF output says so (`columnKind: utf16CodeUnits`).
 */
import { LineMap as ZeroBasedLines } from 'iam-policy-engine';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export class LineMap {
  private readonly lines: ZeroBasedLines;

  constructor(text: string) {
    this.lines = new ZeroBasedLines(text);
  }

  position(offset: number): Position {
    const { line, character } = this.lines.positionAt(offset);
    return { line: line + 1, column: character + 1 };
  }
}
