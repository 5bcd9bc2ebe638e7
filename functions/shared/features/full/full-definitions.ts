import { schemaVersionOf } from '../extract-features.js';
import { WINDOW_BACK } from './service-window.js';

/** Records of the same service looked at after a record, within its batch. */
export const WINDOW_AHEAD = 8;

/** One column of the full set; the values are computed in full-extractor.ts, in this order. */
export interface FullFeatureDescription {
  readonly name: string;
  readonly description: string;
  /** Hashed into the schema version: change it whenever the computation changes. */
  readonly encoding: string;
}

/**
 * The full set: nine surprises, each 0 for an ordinary record and growing with how unusual the
 * record is in one respect (so the forest isolates a record that is unusual in any one of them).
 * Counts include the record itself (it is learned before it is measured), so a first sighting has
 * count 1. "Rarity" is log10(records / records like this one) beyond a floor learned at training:
 * the 98th percentile of the training rows' values, and at least 2 (rarer than 1 in 100).
 */
export const fullFeatureDescriptions: readonly FullFeatureDescription[] = [
  { name: 'service_rarity', description: 'How rare the service is: log10((records + 1) / records of this service) beyond its learned floor.', encoding: 'excessLearned(q0.98,min2) log10((total+1)/serviceCount)' },
  {
    name: 'template_rarity',
    description: 'How rare the message template is: log10((records + 1) / records of this template) beyond its learned floor.',
    encoding: 'drain(depth3,sim0.5,maxTokens40,paths and addresses variable,first-token merge 2 constants) excessLearned(q0.98,min2) log10((total+1)/templateCount)',
  },
  {
    name: 'service_template_rarity',
    description: 'How rare the template is for this service: log10((service records + 1) / its records of this template) beyond its learned floor.',
    encoding: 'excessLearned(q0.98,min2) log10((serviceCount+1)/serviceTemplateCount)',
  },
  {
    name: 'rare_word',
    description: 'The rarest word of the message (no digits or slashes, printable ASCII): log10((records + 1) / records containing it) beyond its learned floor.',
    encoding: 'excessLearned(q0.98,min2) max over distinct words log10((total+1)/wordDocCount), vocabulary 50000',
  },
  {
    name: 'length_deviation',
    description: "How far the message length is from its template's usual length, in standard deviations beyond 3: |ln(1+len) − mean| / max(std, 0.25) − 3 (0 until the template has 2 messages).",
    encoding: 'excess3 abs z of ln(1+utf16 length) vs template welford, std floor 0.25, cap 50',
  },
  {
    name: 'odd_characters',
    description: "Share of the message's characters that are control characters (other than tab, CR, LF) or outside ASCII, 0 to 1.",
    encoding: 'count(c<0x20 except 9,10,13 or c>=0x7f)/length, empty 0',
  },
  {
    name: 'hour_rarity',
    description: "How much quieter the service usually is at this hour of day (UTC) than at a typical record's hour: log10((typical + 0.5) / (its records in this hour ±1, weights ¼ ½ ¼, + 0.5)), typical being the record-weighted mean of those smoothed counts, beyond its learned floor (at least 1: ten times quieter).",
    encoding: 'excessLearned(q0.98,min1) log10((typicalSmoothed+0.5)/(0.25h[-1]+0.5h[0]+0.25h[+1]+0.5)) circular, typical record-weighted',
  },
  {
    name: 'template_burst',
    description: `How unlikely it is that so many of this service's records around a WARN/ERROR/FATAL record carry its template, given the template's usual share of the service: −log10 P(Binomial ≥ same) for the most surprising of the windows (up to ${WINDOW_BACK} before with itself; itself with up to ${WINDOW_AHEAD} after in its batch; both), beyond 3; 0 for DEBUG/INFO records.`,
    encoding: `alerts only, excess3 max of 3 windows -log10 binomial upper tail, p=(serviceTemplate+1)/(service+2), back ${WINDOW_BACK} ahead ${WINDOW_AHEAD} same service, same template`,
  },
  {
    name: 'alert_surprise',
    description: `How unlikely it is that so many of this service's records around a WARN (or ERROR/FATAL) record are warnings (or errors), given the service's usual share of them: −log10 P(Binomial ≥ count) for the most surprising of the same three windows, beyond 3; 0 for DEBUG/INFO records.`,
    encoding: `alerts only, same severity class (WARN | ERROR+FATAL), excess3 max of 3 windows -log10 binomial upper tail, p=(class+1)/(count+2), back ${WINDOW_BACK} ahead ${WINDOW_AHEAD} same service`,
  },
];

/** Generation 2: the full set (the seed set is generation 1). */
/**
 * A record is an anomaly only when some feature reaches this, whatever its score (half a decade
 * past a floor, or half of its characters odd). Part of the schema: it is what the values mean.
 */
export const NOTABLE_SURPRISE = 0.5;

export const FULL_SCHEMA_VERSION: string = schemaVersionOf(
  fullFeatureDescriptions.map((feature) => ({ name: feature.name, encoding: `${feature.encoding}; anomaly needs a feature >= ${NOTABLE_SURPRISE}` })),
  2,
);
export const fullFeatureNames: readonly string[] = Object.freeze(fullFeatureDescriptions.map((feature) => feature.name));
export const FULL_FEATURE_COUNT = fullFeatureNames.length;
