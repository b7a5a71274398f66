/**
 * Checks of EventBridge Scheduler recurring schedule expressions (`cron(...)` with six fields, `rate(...)`).
 *
 * CloudFormation only rejects a malformed expression when it creates the schedule, late in a deployment; these
 * checks give the reason at synth. They follow the Scheduler user guide; they do not try to prove that a cron
 * expression ever fires (e.g. 30 February).
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

/** What a schedule expression check found. */
export interface ScheduleCheck {
  /** Why the expression is invalid, or undefined when it is valid. */
  readonly problem?: string;
  /**
   * The longest possible gap between two runs, in hours, when it can be derived: `rate(...)` expressions and cron
   * expressions that fire every day (day-of-month, month, day-of-week and year all `*` or `?`, counted as 24 h).
   */
  readonly intervalHours?: number;
}

/** The fix shown after every problem. */
export const SCHEDULE_HOW_TO = 'write cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 2 * * ? *) ' +
  'for 02:00 every day, or rate(value unit), e.g. rate(12 hours).';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
  /** Extra forms allowed as a whole item in this field. */
  readonly special?: RegExp;
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  // L = last day of the month, LW = last weekday, 15W = weekday nearest the 15th.
  { name: 'day-of-month', min: 1, max: 31, special: /^(L|LW|([1-9]|[12][0-9]|3[01])W)$/, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 6L = last Friday of the month, 3#2 = second Tuesday.
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)#[1-5])$/, question: true },
  { name: 'year', min: 1970, max: 2199 },
];

/** Checks a recurring EventBridge Scheduler expression. */
export function checkScheduleExpression(expression: string): ScheduleCheck {
  const text = expression.trim();
  if (/^at\(.*\)$/.test(text)) {
    return { problem: 'is a one-time at() schedule; a backup needs a recurring cron(...) or rate(...) expression, e.g. cron(0 2 * * ? *)' };
  }
  const rate = /^rate\((.*)\)$/.exec(text);
  if (rate) {
    return checkRate(rate[1]);
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron) {
    return checkCron(cron[1]);
  }
  return { problem: 'is neither cron(...) nor rate(...)' };
}

function checkRate(body: string): ScheduleCheck {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim());
  if (!match || Number(match[1]) < 1) {
    return { problem: 'is not rate(value unit) with a positive whole value and a unit of minutes, hours or days' };
  }
  const value = Number(match[1]);
  const unit = match[2];
  if ((value === 1) !== !unit.endsWith('s')) {
    return { problem: `uses "${value} ${unit}"; Scheduler wants the singular unit for 1 and the plural otherwise, e.g. rate(1 day), rate(2 days)` };
  }
  const hours = unit.startsWith('minute') ? value / 60 : unit.startsWith('hour') ? value : value * 24;
  return { intervalHours: hours };
}

function checkCron(body: string): ScheduleCheck {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return { problem: `has ${fields.length} fields; Scheduler cron expressions have 6 (the year comes last)` };
  }
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = fieldProblem(FIELDS[i], fields[i]);
    if (problem) {
      return { problem };
    }
  }
  const [, , dayOfMonth, month, dayOfWeek, year] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return { problem: 'must have ? in exactly one of day-of-month and day-of-week (a value or * in the other)' };
  }
  const everyDay = [dayOfMonth, dayOfWeek].every((f) => f === '*' || f === '?') && month === '*' && year === '*';
  return { intervalHours: everyDay ? 24 : undefined };
}

function fieldProblem(spec: FieldSpec, field: string): string | undefined {
  const bad = (why: string) => `has ${spec.name} field ${JSON.stringify(field)}: ${why}`;
  if (field === '?') {
    return spec.question ? undefined : bad('? is only allowed in day-of-month and day-of-week');
  }
  for (const item of field.split(',')) {
    if (item === '*') {
      continue;
    }
    if (spec.special?.test(item.toUpperCase())) {
      continue;
    }
    const match = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(item);
    if (!match) {
      return bad(`${JSON.stringify(item)} is not a value, a range a-b, a step a/n or */n, or a list of those`);
    }
    const [, start, end, step] = match;
    if (start === '*' && end !== undefined) {
      return bad(`${JSON.stringify(item)} is not a value, a range a-b, a step a/n or */n, or a list of those`);
    }
    for (const value of [start, end]) {
      if (value === undefined || value === '*') {
        continue;
      }
      if (valueOf(spec, value) === undefined) {
        return bad(`${value} is outside ${spec.min}-${spec.max}${spec.names ? ` (or ${spec.names[0]}-${spec.names[spec.names.length - 1]})` : ''}`);
      }
    }
    if (step !== undefined && Number(step) < 1) {
      return bad('a step must be 1 or more');
    }
  }
  return undefined;
}

function valueOf(spec: FieldSpec, text: string): number | undefined {
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) {
    return spec.min + index;
  }
  if (!/^\d+$/.test(text)) {
    return undefined;
  }
  const n = Number(text);
  return n >= spec.min && n <= spec.max ? n : undefined;
}
