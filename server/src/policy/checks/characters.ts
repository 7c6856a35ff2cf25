/**
 * PolicyDocument must match `[\u0009\u000A\u000D\u0020-\u00FF]+`. Every maximal run of
 * other characters is one finding that names its code points (an astral character, such as
 * an emoji, is one code point, not two halves).
 */
import { describeCharacter } from '../names';
import { DISALLOWED_CHARACTERS } from '../limits';
import { finding, type Finding } from '../findings';

const ACCEPTED = 'IAM accepts only tab, line feed, carriage return and characters U+0020 to U+00FF in a policy';

export function checkCharacters(text: string): Finding[] {
  const findings: Finding[] = [];
  DISALLOWED_CHARACTERS.lastIndex = 0;
  for (let match = DISALLOWED_CHARACTERS.exec(text); match !== null; match = DISALLOWED_CHARACTERS.exec(text)) {
    const run = match[0];
    findings.push(finding('disallowed-character', describeRun(run), match.index, run.length));
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
