/**
 * A GitLab milestone (`'16.4'`) → the day that version was released, so a flag's age can count from it.
 *
 * GitLab ships one minor release a month (https://handbook.gitlab.com/handbook/engineering/releases/):
 * - 13.0 in May 2020 … 13.12 in May 2021; 14.0 in June 2021 … 14.10 in April 2022;
 * - from 15.0 (May 2022) each major starts in May and has minors .0 to .11 (15.11 April 2023, 16.0 May 2023, …);
 * - on the 22nd of the month until 16.5 (October 2023), on the third Thursday from 16.6 (November 2023) on.
 * A milestone outside that (12.x and older, a minor beyond a major's last, text that is no version) is not mapped:
 * the caller counts from the day the file was added instead. Pure.
 */
export function milestoneDate(milestone: string): Date | undefined {
  const m = /^(\d{1,3})\.(\d{1,2})$/.exec(milestone.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const month = monthIndex(major, minor);
  if (month === undefined) return undefined;
  const year = Math.floor(month / 12);
  const mon = month % 12;
  const day = major > 16 || (major === 16 && minor >= 6) ? thirdThursday(year, mon) : 22;
  return new Date(Date.UTC(year, mon, day));
}

/** Months since year 0 of the release month (year * 12 + 0-based month). */
function monthIndex(major: number, minor: number): number | undefined {
  if (major === 13) return minor <= 12 ? 2020 * 12 + 4 + minor : undefined;
  if (major === 14) return minor <= 10 ? 2021 * 12 + 5 + minor : undefined;
  if (major >= 15) return minor <= 11 ? (2007 + major) * 12 + 4 + minor : undefined;
  return undefined;
}

function thirdThursday(year: number, month: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - firstWeekday + 7) % 7);
  return firstThursday + 14;
}
