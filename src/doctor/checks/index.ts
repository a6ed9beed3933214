import type { DoctorCheck } from '../check';
import { dynamoDayIndex } from './dynamoDayIndex';
import { dynamoTable } from './dynamoTable';
import { rdsTables } from './rdsTables';
import { reportArchive } from './reportArchive';
import { searchAttributes } from './searchAttributes';
import { sesSandbox } from './sesSandbox';
import { sesSender } from './sesSender';
import { stagingBucket } from './stagingBucket';
import { temporalNamespace } from './temporalNamespace';
import { warehouseTables } from './warehouseTables';
import { warehouseWritable } from './warehouseWritable';

/** Every preflight check, in the order `libreport doctor` prints them. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = Object.freeze([
  temporalNamespace,
  searchAttributes,
  dynamoTable,
  dynamoDayIndex,
  warehouseWritable,
  warehouseTables,
  stagingBucket,
  rdsTables,
  sesSender,
  sesSandbox,
  reportArchive,
]);
