import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { staffCommand } from '../../src/cli/commands/staff';
import { ensureRdsSchema, pgRds } from '../../src/adapters/rds/pgRds';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { ensureWarehouseSchema } from '../../src/activities/warehouseSchema';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { runCli } from './runCli';

/**
 * `libreport staff` suites' RDS database (the staff directory, reset to BASELINE before each test) and warehouse,
 * and a folder for the files HR's spreadsheets write: up in the suite's beforeAll.
 */

/** The directory before each test: two active members and one who left. */
export const BASELINE = [
  ['김민지', 'minji.kim@libreport.local', '열람팀', true],
  ['이준호', 'junho.lee@libreport.local', '정보팀', true],
  ['박서연', 'seoyeon.park@libreport.local', '운영팀', false],
] as const;

/** What `directory()` reads when nothing changed BASELINE. */
export const UNCHANGED_DIRECTORY = [
  '이준호 junho.lee@libreport.local 정보팀 active',
  '김민지 minji.kim@libreport.local 열람팀 active',
  '박서연 seoyeon.park@libreport.local 운영팀 inactive',
];

export interface StaffDirectoryHarness {
  readonly rdsDb: TestDatabase;
  readonly rds: Client;
  readonly warehouse: Warehouse;
  readonly dir: string;
  /** Writes a file into the suite's folder and returns its path. */
  file(name: string, content: string | Buffer): string;
  /** Runs `libreport staff …` against the suite's RDS database. */
  staff(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  /** The directory, one line per person: name, email, department, active or inactive; by email. */
  directory(): Promise<string[]>;
}

export function useStaffDirectory(name: string): StaffDirectoryHarness {
  let rdsDb: TestDatabase | undefined;
  let dwDb: TestDatabase | undefined;
  let rds: Client | undefined;
  let warehouse: Warehouse | undefined;
  let dir = '';

  beforeAll(async () => {
    [rdsDb, dwDb] = await Promise.all([freshDatabase(`${name}_rds`), freshDatabase(`${name}_dw`)]);
    const setup = pgRds(createPgPool(rdsDb.url, { max: 1 }));
    await ensureRdsSchema(setup);
    await setup.close();
    rds = new Client({ connectionString: rdsDb.url });
    await rds.connect();
    warehouse = pgWarehouse(createPgPool(dwDb.url, { max: 2 }));
    await ensureWarehouseSchema(warehouse);
    dir = mkdtempSync(path.join(os.tmpdir(), 'libreport-staff-'));
  });

  afterAll(async () => {
    await rds?.end();
    await warehouse?.close();
    await Promise.allSettled([rdsDb?.drop(), dwDb?.drop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await rds!.query('TRUNCATE staff RESTART IDENTITY');
    for (const [name, email, department, active] of BASELINE) {
      await rds!.query('INSERT INTO staff (name, email, department, active) VALUES ($1, $2, $3, $4)', [
        name,
        email,
        department,
        active,
      ]);
    }
  });

  return {
    get rdsDb() {
      return rdsDb!;
    },
    get rds() {
      return rds!;
    },
    get warehouse() {
      return warehouse!;
    },
    get dir() {
      return dir;
    },
    file(name, content) {
      const target = path.join(dir, name);
      writeFileSync(target, content);
      return target;
    },
    staff: (args, env = {}) => runCli([staffCommand()], ['staff', ...args], { RDS_URL: rdsDb!.url, ...env }),
    async directory() {
      const { rows } = await rds!.query<{ line: string }>(
        `SELECT name || ' ' || email || ' ' || department || ' ' || CASE WHEN active THEN 'active' ELSE 'inactive' END AS line
     FROM staff ORDER BY email`,
      );
      return rows.map((r) => r.line);
    },
  };
}
