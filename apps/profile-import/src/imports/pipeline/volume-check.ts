export type VolumeCheck = { suspicious: boolean; note: string };

/**
 * Compares a file's row count with the trailing average of the dataset's last applied imports
 * (most recent first, at most 7 used). Beyond `factor` up or down, the import is suspicious.
 */
export function checkVolume(rows: number, history: readonly number[], factor: number, minHistory: number): VolumeCheck {
  const recent = history.slice(0, 7);
  if (recent.length < minHistory) {
    return { suspicious: false, note: `not checked: ${recent.length} earlier import(s), ${minHistory} needed` };
  }
  const average = recent.reduce((sum, value) => sum + value, 0) / recent.length;
  const shown = `${rows} rows vs a trailing average of ${Math.round(average)} over the last ${recent.length} imports`;
  if (rows > average * factor) return { suspicious: true, note: `spike: ${shown} (more than ${factor}x)` };
  if (rows < average / factor) return { suspicious: true, note: `drop: ${shown} (less than 1/${factor})` };
  return { suspicious: false, note: `normal: ${shown}` };
}
