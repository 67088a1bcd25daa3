/** One line of the benchmark table. */
export interface BenchRow {
  suite: string;
  case: string;
  value: number;
  unit: string;
  note?: string;
}
