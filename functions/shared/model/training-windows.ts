/**
 * When models are trained, in stored records: a first, provisional model once `firstTrainingWindow`
 * records are stored; it is refined each time the stored count reaches twice its rows, until a model
 * has `trainingWindow` rows (a full model). Every container reads a model's rows from its manifest
 * (`trainingWindow.rows`, the `models` table's training_rows), so all agree which models are provisional.
 * No imports: the dashboard publisher and `npm start`'s status line use it too.
 */
export interface TrainingWindows {
  /** Records a full model is trained on (TRAINING_WINDOW). */
  readonly trainingWindow: number;
  /** Records stored before the first, provisional model is trained (FIRST_TRAINING_WINDOW, at most trainingWindow). */
  readonly firstTrainingWindow: number;
}

/** A model trained on fewer rows than the training window is provisional. */
export function isProvisionalModel(rows: number, trainingWindow: number): boolean {
  return rows < trainingWindow;
}

/** The stored count at which a provisional model of `rows` rows is refined: twice its rows, at most the training window. */
export function refineAt(rows: number, trainingWindow: number): number {
  return Math.min(2 * rows, trainingWindow);
}
