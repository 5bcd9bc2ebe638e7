"""Times scikit-learn's IsolationForest.score_samples for the bench:model benchmark.

Usage: sklearn_score.py DATA ROWS DIMS TRAIN_ROWS REPS SEED SCORES_OUT
  DATA        little-endian float64, ROWS x DIMS, row-major (the first TRAIN_ROWS rows are the training set)
  SCORES_OUT  where to write -score_samples (higher = more anomalous) as little-endian float64

Fits IsolationForest(n_estimators=100, max_samples=256, random_state=SEED, n_jobs=1), then times only
score_samples over all ROWS rows, REPS times, in this process. Prints one JSON line; if scikit-learn
cannot be imported, prints {"skipped": "<reason>"} and exits 0.
"""
import json
import os
import sys

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

try:
    import numpy as np
    import sklearn
    from sklearn.ensemble import IsolationForest
except Exception as error:  # noqa: BLE001 - any import failure means "cannot measure here"
    print(json.dumps({"implementation": "scikit-learn", "skipped": f"scikit-learn unavailable: {error}"}))
    sys.exit(0)

import time


def main() -> None:
    data_path, rows, dims, train_rows, reps, seed, scores_path = sys.argv[1:8]
    rows, dims, train_rows, reps, seed = int(rows), int(dims), int(train_rows), int(reps), int(seed)
    data = np.fromfile(data_path, dtype="<f8").reshape(rows, dims)
    forest = IsolationForest(n_estimators=100, max_samples=256, random_state=seed, n_jobs=1)
    forest.fit(data[:train_rows])
    forest.score_samples(data[:1000])  # warm-up
    seconds = []
    scores = None
    for _ in range(reps):
        start = time.perf_counter()
        scores = forest.score_samples(data)
        seconds.append(time.perf_counter() - start)
    (-scores).astype("<f8").tofile(scores_path)
    median = sorted(seconds)[len(seconds) // 2]
    print(json.dumps({
        "implementation": "scikit-learn",
        "version": sklearn.__version__,
        "rowsScored": rows,
        "repetitions": reps,
        "medianSeconds": median,
        "rowsPerSecond": rows / median,
    }))


main()
