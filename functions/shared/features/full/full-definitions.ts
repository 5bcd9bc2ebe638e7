import { schemaVersionOf } from '../extract-features.js';
import { WINDOW_AHEAD, WINDOW_BACK } from './service-window.js';

/** How the rarities turn counts into chances (rarity-tail.ts), as hashed into the schema version. */
const GOOD_TURING = 'prequential (measured before learned, training too) -log10 tail: (singletons+1 + mass of items with count <= this, bins exact to 16 then 4 per doubling)/(observations+2), share alone at >= 1%';
/** The recency rule of the template-based rarities (window-step.ts). */
const RECENT = '0 if template among service last 8 learned';


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
 * Each record is measured against what was learned before it, then learned (training windows too),
 * so a first sighting is measured as new. Rarities are decades of improbability, −log10 of a chance
 * estimated from the stream itself (rarity-tail.ts), beyond a floor learned at training: the 98th
 * percentile of the training rows' values, and at least 2 (rarer than 1 in 100).
 */
export const fullFeatureDescriptions: readonly FullFeatureDescription[] = [
  {
    name: 'service_rarity',
    description: "How rare the service is, in decades: −log10 of the chance that the next record comes from a service at most as common (the summed share of those services plus Good–Turing's unseen share, singletons + 1 over records + 2; for a new service the unseen share alone), measured before the record is learned, beyond its learned floor.",
    encoding: `${GOOD_TURING} over services, excessLearned(q0.98,min2)`,
  },
  {
    name: 'template_rarity',
    description: "How rare the message template is, in decades: −log10 of the chance that the next record's template is at most as common (the summed share of those templates plus Good–Turing's unseen share), beyond its learned floor; 0 when the service logged the template among its last 8 records.",
    encoding: `drain(depth3,sim0.5,maxTokens40,paths and addresses variable,first-token merge 2 constants) ${GOOD_TURING} over templates, excessLearned(q0.98,min2), ${RECENT}`,
  },
  {
    name: 'service_template_rarity',
    description: 'How rare the template is for this service: log10((service records + 2) / its records of this template, at least 1) beyond its learned floor; 0 for a template new to the whole system (template_rarity measures it), for a new service, and when the service logged the template among its last 8 records.',
    encoding: `excessLearned(q0.98,min2) log10((serviceCount+2)/max(1,serviceTemplateCount)), 0 if template new, ${RECENT}`,
  },
  {
    name: 'rare_word',
    description: "How rare the message's rarest word is (no digits or slashes, printable ASCII), in decades: −log10 of the chance that a record holds a word at most as common (summed shares of records holding such words, plus Good–Turing's unseen share), less log10 of the message's distinct words (a long message has more chances to hold one), beyond its learned floor; 0 when the service logged the template among its last 8 records.",
    encoding: `${GOOD_TURING} over records holding the rarest word minus log10(distinct words), vocabulary 50000, excessLearned(q0.98,min2), ${RECENT}`,
  },
  {
    name: 'length_deviation',
    description: "How far the message length is from its template's usual length, in standard deviations beyond 3: |ln(1+len) − mean| / max(std, 0.25) − 3 (0 until the template has 2 messages), beyond its learned floor.",
    encoding: 'excess3 abs z of ln(1+utf16 length) vs template welford, std floor 0.25, cap 50, then excessLearned(q0.98,min0)',
  },
  {
    name: 'odd_characters',
    description: "Share of the message's characters that are control characters (other than tab, CR, LF) or outside ASCII, 0 to 1, beyond its learned floor (a system that logs non-ASCII text learns its own).",
    encoding: 'count(c<0x20 except 9,10,13 or c>=0x7f)/length, empty 0, excessLearned(q0.98,min0)',
  },
  {
    name: 'hour_rarity',
    description: "How much quieter the service usually is at this hour of day (UTC) than at a typical record's hour: log10((typical + 0.5) / (its records in this hour ±1, weights ¼ ½ ¼, + 0.5)), typical being the record-weighted mean of those smoothed counts, beyond 1 (ten times quieter). 0 until the system's profile covers 12 of the day's hours (an hour counting at 5 % of its busiest), unless the record is over an hour behind the newest one: a stream moving on into hours it has not covered is not unusual for that. Training rows measure it against the whole window.",
    encoding: 'excess1 log10((typicalSmoothed+0.5)/(0.25h[-1]+0.5h[0]+0.25h[+1]+0.5)) circular, typical record-weighted; only when system hours>=5% of busiest cover 12 or ts<newest-1h; training in-sample',
  },
  {
    name: 'template_burst',
    description: `How unlikely it is that so many of this service's records around a WARN/ERROR/FATAL record carry its template, given the template's usual share of the service: −log10 P(Binomial ≥ same) for the most surprising of the windows holding at least two of them (up to ${WINDOW_BACK} before with itself; itself with the ${WINDOW_AHEAD} after it; both), beyond 3; 0 for DEBUG/INFO records. Measured on arrival (the window behind it) and again once the ${WINDOW_AHEAD} records of the service after it have arrived, in its batch or later ones (a late verdict), so the value never depends on where batches were cut.`,
    encoding: `alerts only, excess3 max of 3 windows (2+ hits), on arrival behind only, once 8 after arrived all -log10 binomial upper tail, p=(serviceTemplate+1)/(service+2) on arrival, back ${WINDOW_BACK} ahead ${WINDOW_AHEAD} learned records same service across batches, same template`,
  },
  {
    name: 'alert_surprise',
    description: `How unlikely it is that so many of this service's records around a WARN (or ERROR/FATAL) record are warnings (or errors), given the service's usual share of them: −log10 P(Binomial ≥ count) for the most surprising of the same windows, revised the same way, beyond 3; 0 for DEBUG/INFO records.`,
    encoding: `alerts only, same severity class (WARN | ERROR+FATAL), excess3 max of 3 windows, on arrival behind only, once 8 after arrived all -log10 binomial upper tail, p=(class+1)/(count+2) on arrival, back ${WINDOW_BACK} ahead ${WINDOW_AHEAD} learned records same service across batches`,
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
