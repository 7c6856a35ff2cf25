/**
 * PolicyDocument must match `[\u0009\u000A\u000D\u0020-\u00FF]+`. Every maximal run of
 * other characters is one finding that names its code points (an astral character, such as
 * an emoji, is one code point, not two halves).
 */
import { describeCharacter } from '../names';
import { DISALLOWED_CHARACTERS } from '../limits';
import { finding, type Finding } from '../findings';

const ACCEPTED = 'IAM allows only tab, line feed, carriage return and U+0020 to U+00FF';

/**
 * Messages by run. Pasted text repeats the same few characters (a thousand curly quotes is
 * one message a thousand times), and this check runs on every keystroke.
 */
const messages = new Map<string, string>();

/**
 * The runs in `text`, or only those that start within [from, to] (a run starting there is
 * followed to its end).
 */
export function checkCharacters(text: string, from = 0, to = text.length): Finding[] {
  const findings: Finding[] = [];
  DISALLOWED_CHARACTERS.lastIndex = from;
  for (let match = DISALLOWED_CHARACTERS.exec(text); match !== null && match.index <= to; match = DISALLOWED_CHARACTERS.exec(text)) {
    const run = match[0];
    let message = messages.get(run);
    if (message === undefined) {
      if (messages.size >= 512) messages.clear();
      message = describeRun(run);
      messages.set(run, message);
    }
    findings.push(finding('disallowed-character', message, match.index, run.length));
  }
  return findings;
}

function describeRun(run: string): string {
  const characters = Array.from(run);
  const distinct = [...new Set(characters)];
  const shown = distinct.slice(0, 3).map(describeCharacter).join(', ');
  const rest = distinct.length > 3 ? ` and ${distinct.length - 3} other kinds` : '';
  if (characters.length === 1) {
    return `Disallowed character ${shown}: ${ACCEPTED}.`;
  }
  return `${characters.length} disallowed characters: ${shown}${rest}. ${ACCEPTED}.`;
}
