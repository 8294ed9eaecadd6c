const integer = new Intl.NumberFormat('en-GB');
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const formatInteger = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : integer.format(value));
export const formatDecimal = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : decimal.format(value));
export const formatMoney = (value: number | string | null | undefined): string => (value === null || value === undefined ? '–' : money.format(Number(value)));
/** A share 0..1 as a percentage. */
export const formatPercent = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)} %`);
export const formatDateTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '–');
export const formatPValue = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : value < 0.001 ? '< 0.001' : value.toFixed(3));
