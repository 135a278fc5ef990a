/** Table figures in Chromium: filled in below once the app serves the Mappings screen in web mode. */
export interface TableFigure {
  name: string;
  value: number | null;
  unit: string;
  target: number | null;
  met: boolean | null;
  note?: string;
}

export async function measureTable(): Promise<TableFigure[]> {
  const note = 'not measured yet: needs the web host with the mappings service registered';
  return [
    { name: 'table_10k_first_paint_ms', value: null, unit: 'ms', target: 300, met: false, note },
    { name: 'table_10k_filter_ms', value: null, unit: 'ms', target: 50, met: false, note },
  ];
}
