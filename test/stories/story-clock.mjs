// Test harness only (never part of the package): preloaded into the CI jobs of the stories with
// NODE_OPTIONS=--import=<this file>, it moves the process's wall clock to STORY_NOW (ISO time) and lets it run on
// from there, so flagops' own clock (CliIo.now, freeze and soak judgements) agrees with the simulators' clock.
const target = process.env.STORY_NOW;
if (target) {
  const RealDate = Date;
  const startedReal = RealDate.now();
  const startedStory = RealDate.parse(target);
  if (Number.isNaN(startedStory)) throw new Error(`STORY_NOW is not a time: ${target}`);
  const now = () => startedStory + (RealDate.now() - startedReal);
  class StoryDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() {
      return now();
    }
  }
  globalThis.Date = StoryDate;
}
