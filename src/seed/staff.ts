import { DEPARTMENTS, GIVEN_NAMES, SURNAMES } from './data/names';
import { createRandom } from './random';

/** One row of the `staff` directory: the report's recipients are its active members. */
export interface StaffMember {
  readonly name: string;
  readonly email: string;
  readonly department: string;
  readonly active: boolean;
}

/** Share of staff who have left (kept in the directory, but no longer sent the report). */
const INACTIVE_SHARE = 0.1;
export const STAFF_EMAIL_DOMAIN = 'libreport.local';

/** `count` staff with unique `given.surname@libreport.local` addresses; about 10% inactive. */
export function generateStaff(seed: string, count: number): StaffMember[] {
  const random = createRandom(`${seed}/staff`);
  const taken = new Map<string, number>();
  return Array.from({ length: count }, () => {
    const surname = random.pick(SURNAMES);
    const given = random.pick(GIVEN_NAMES);
    const local = `${given.en}.${surname.en}`;
    const seen = (taken.get(local) ?? 0) + 1;
    taken.set(local, seen);
    return {
      name: surname.ko + given.ko,
      email: `${local}${seen > 1 ? seen : ''}@${STAFF_EMAIL_DOMAIN}`,
      department: random.pick(DEPARTMENTS),
      active: !random.chance(INACTIVE_SHARE),
    };
  });
}
