/**
 * PolicyDocument must match `[\u0009\u000A\u000D\u0020-\u00FF]+`. Every maximal run of
 * other characters is one finding that names its code points (an astral character, such as
 * an emoji, is one code point, not two halves).
 */
import { describeCharacter } from '../names';
import { DISALLOWED_CHARACTERS } from '../limits';
import { finding, type Finding } from '../findings';

 /** The rest of a run from a given place (sticky). */
const RUN_FROM = new RegExp(DISALLOWED_CHARACTERS.source, 'uy');

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
  // Search only [from, to] (a whole-document search from `from` would run to the end of the
  // text on every keystroke), then follow a run that reaches `to` past it.
  const whole = from === 0 && to >= text.length;
  const region = whole ? text : text.slice(from, Math.min(text.length, to + 1));
  DISALLOWED_CHARACTERS.lastIndex = 0;
  for (let match = DISALLOWED_CHARACTERS.exec(region); match !== null; match = DISALLOWED_CHARACTERS.exec(region)) {
    let run = match[0];
    const index = match.index + from;
    if (!whole && match.index + run.length === region.length && index + run.length < text.length) {
      RUN_FROM.lastIndex = index + run.length;
      const rest = RUN_FROM.exec(text);
      if (rest !== null) run += rest[0];
    }
    let message = messages.get(run);
    if (message === undefined) {
      if (messages.size >= 512) messages.clear();
      message = describeRun(run);
      messages.set(run, message);
    }
    findings.push(finding('disallowed-character', message, index, run.length));
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
