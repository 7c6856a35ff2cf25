/**
 * Dates in condition values, as IAM reads them. IAM's Date operators take ISO 8601 dates
 * (2026-12-31, 2026-12-31T23:59:59Z) and epoch seconds.
 *
 * IAM also parses every Date operator's values when the policy is submitted, with its "legacy"
 * parser, and rejects the document when one cannot be read: MalformedPolicyDocument "The policy
 * failed legacy parsing". `legacyParseFails` follows that parser as the local IAM emulator has
 * it (moto, iam/policy_validation.py, `_legacy_parse_date_condition_value`), whose authors
 * recorded against IAM: "sdfdsf", "234-13" (month 13), a time zone of one digit, fractions of
 * more than nine digits and epochs past 2^63 - 1 rejected; "01T" and "-292275054" accepted.
 */

/** An ISO 8601 date or date-time, each part in range (the form AWS documents: YYYY-MM-DDThh:mm:ssTZD). */
const ISO_DATE =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d{1,9})?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)?)?$/i;

/** Whether the value is a well-formed ISO 8601 date or date-time. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value);
}

const MAX_EPOCH = 2n ** 63n - 1n;

/** Python's int() of a string: optional white space and sign, digits with single underscores between them. */
function pythonInt(text: string): bigint | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (match === null) return undefined;
  const magnitude = BigInt(match[2].replace(/_/g, ''));
  return match[1] === '-' ? -magnitude : magnitude;
}

function inRange(text: string, low: number, high: number): boolean {
  const value = pythonInt(text);
  return value !== undefined && value >= BigInt(low) && value <= BigInt(high);
}

/**
 * Whether IAM's legacy parser rejects the value of a Date operator. A well-formed ISO 8601
 * value is never taken as rejected, even where the emulator's port is stricter than the
 * documented format (a negative time zone offset, minutes without seconds): the evidence for
 * those is not clear, and a false Error is as bad as a missed one.
 */
export function legacyParseFails(value: string): boolean {
  if (isIsoDate(value)) return false;
  const lower = value.toLowerCase();
  if (!lower.includes('t') && !value.includes('-')) {
    const epoch = pythonInt(value);
    return epoch === undefined || epoch < 0n || epoch > MAX_EPOCH;
  }
  return !legacyIso(lower);
}

function legacyIso(datetime: string): boolean {
  const t = datetime.indexOf('t');
  const datePart = t < 0 ? datetime : datetime.slice(0, t);
  const timePart = t < 0 ? '' : datetime.slice(t + 1);
  const negativeYear = datePart.startsWith('-');
  const dateParts = (negativeYear ? datePart.slice(1) : datePart).split('-');
  if (!inRange((negativeYear ? '-' : '') + dateParts[0], -292275054, 292278993)) return false;
  if (dateParts.length > 1 && !inRange(dateParts[1], 1, 12)) return false;
  if (dateParts.length > 2 && !inRange(dateParts[2], 1, 31)) return false;
  if (dateParts.length >= 4) return false;
  const timeParts = timePart.split(':');
  if (timeParts[0] !== '' && !inRange(timeParts[0], 0, 23)) return false;
  if (timeParts.length > 1 && !inRange(timeParts[1], 0, 59)) return false;
  if (timeParts.length > 2) {
    let seconds = timeParts[2];
    if (seconds.includes('z')) {
      const z = seconds.indexOf('z');
      if (seconds.slice(z + 1) !== '') return false;
      seconds = seconds.slice(0, z);
    } else if (seconds.includes('+')) {
      const plus = seconds.indexOf('+');
      const zone = seconds.slice(plus + 1);
      seconds = seconds.slice(0, plus);
      const colon = zone.indexOf(':');
      const hours = colon < 0 ? zone : zone.slice(0, colon);
      if (hours.length !== 2 || !inRange(hours, 0, 23)) return false;
      if (colon >= 0) {
        const minutes = zone.slice(colon + 1);
        if (minutes.length !== 2 || !inRange(minutes, 0, 59)) return false;
      }
    }
    const dot = seconds.indexOf('.');
    if (!inRange(dot < 0 ? seconds : seconds.slice(0, dot), 0, 59)) return false;
    if (dot >= 0 && !inRange(seconds.slice(dot + 1), 0, 999999999)) return false;
  }
  return true;
}

/** Whether the value is epoch seconds (digits only) that IAM reads. */
export function isEpoch(value: string): boolean {
  return /^\d+$/.test(value) && BigInt(value) <= MAX_EPOCH;
}

/** The ISO 8601 form of epoch seconds, when within the years 0001 to 9999. */
export function epochToIso(value: string): string | undefined {
  const seconds = Number(value);
  if (!Number.isSafeInteger(seconds) || seconds > 253402300799) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
