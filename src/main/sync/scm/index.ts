/** The SCM job: run loop, package cutting, the package state machine, posting follow-up, journal rows. */
export { type CutLimits, createBatches, cutBatches, cutLimits } from './cutting';
export { journalLine, journalReference, toJournalFiles } from './journal-rows';
export { locateEntries, sampleIds } from './read-back';
export { runScmJob, type ScmJobOptions, type ScmJobResult } from './run';
