/**
 * The product's numbers, in one home; docs/fields.md explains them to users.
 * Everything that decides a threshold, cadence or limit imports it from here.
 */
export const domain = {
  lookup: {
    /** Longest `/card` text we search for, in characters. */
    maxQueryLength: 64,
    /** How many matches a lookup lists before asking for a narrower query. */
    maxListed: 10,
    /** A query with at least this many digits (and nothing else) is a phone number. */
    minPhoneDigits: 5,
    /**
     * Longest pinyin, initials and company key stored on a card, in characters: only their start is matched, and short
     * keys keep indexes small.
     */
    maxKeyLength: 32,
    /** A type-ahead's options must reach Slack within 3 s or are dropped; past this, it answers with none. */
    optionsDeadlineMs: 2500,
  },
  slack: {
    /**
     * A modal submission must be answered within Slack's 3 s; a save still
     * running by then turns the modal to "saving…" and tells its outcome later.
     */
    submissionAnswerMs: 2500,
    /**
     * Saves answered, how many of their follow-ups (reminders scheduled, the
     * card shown again, Homes refreshed) run at once in one process: a burst
     * of saves is answered before its follow-ups crowd the database.
     */
    followUpsAtOnce: 4,
  },
  card: {
    numberPrefix: 'KH',
    numberDigits: 4,
    lastVisitsShown: 3,
    openPromisesShown: 5,
    missingFieldsShown: 3,
  },
  history: {
    changesShown: 15,
    visitsShown: 10,
  },
  /** The one nudge pipeline, for every kind of reminder. */
  nudges: {
    snoozeDays: { day: 1, week: 7 },
    /** A claimed nudge not confirmed within this time is taken again by another instance. */
    claimTimeoutMs: 5 * 60_000,
    /**
     * A nudge Slack keeps refusing is given up (status failed, shown on the
     * card) once it has been refused for this long: by age, not by a count of
     * tries, so a burst of rate limits or a refused digest cannot use it up.
     */
    giveUpAfterMs: 24 * 60 * 60_000,
    /** Due nudges read per query by a scan. */
    scanBatch: 100,
    /** Retry delay after attempt n (1-based) when Slack refuses without a Retry-After, doubling up to retryMaxMs. */
    retryBaseMs: 5 * 60_000,
    retryMaxMs: 2 * 60 * 60_000,
    /** A rate limit (429) without a Retry-After waits this long; a rate limit is never counted as a failed attempt. */
    rateLimitedWaitMs: 60_000,
    /**
     * Slack took a post but recording it failed (the database went away): the
     * record is tried again this often for as long as the claim is ours, so
     * no other instance posts it again.
     */
    recordRetryMs: 1000,
    /** How far before a lost claim began the channel's history is searched for the post it may have made. */
    postedLookbackMs: 60_000,
    /** That search reads at most this many pages of this many messages (a busy channel in a few minutes). */
    historyPageSize: 200,
    historyMaxPages: 5,
    /** A digest lists at most this many reminders; more due at once go out as several digests. */
    digestMaxItems: 40,
    /** More nudges than this due for one channel in one scan go out as one digest, each item a reply in its thread. */
    digestAbove: 5,
    /** Slack takes about one message per second per channel; posts to one channel are spaced this far apart. */
    channelIntervalMs: 1000,
  },
  writes: {
    /** A change claimed this long ago and still not applied lost its writer: anyone may finish it. */
    intentLeaseMs: 30_000,
    /** Read-decide-write rounds before a change that must land gives up. */
    maxRetries: 20,
    /** Unfinished changes a scan finishes per team and run. */
    recoveryBatch: 100,
    /**
     * Finished changes are kept this long, to tell a replayed request from a
     * new one, then removed (FerretDB 1 has no TTL indexes). Removing one is
     * safe: a writer still holding that old version is refused all the same.
     */
    settledRetentionMs: 7 * 24 * 60 * 60_000,
  },
  /** What services announce about cards (services/cardEvents.ts), kept until every kind has reacted. */
  cardEvents: {
    /** Still pending this long after it was recorded, its writer stopped: the scan handles it. */
    leftOverAfterMs: 60_000,
    /** Handled events a scan takes up per team and run. */
    batch: 200,
    /** Handled events are kept this long, then removed by the scan. */
    keptMs: 7 * 24 * 60 * 60_000,
  },
  numbering: {
    /** Card numbers tried past the counter before giving up; each miss means another card took it. */
    maxProbes: 1000,
  },
  visit: {
    maxPromises: 3,
    /** Longest text per visit field, for the modal and the schema alike. */
    maxLength: { notes: 3000, needs: 1000, purchaseKinds: 200, nextFollowUpPlan: 500, promise: 300 },
  },
  /**
   * How much each field counts toward "资料完整度". Fields a salesperson needs
   * before a visit (preferences, phone, credit…) weigh more; unlisted fields do not count.
   */
  completenessWeights: {
    phone: 3,
    company: 2,
    region: 2,
    address: 2,
    preferences: 3,
    creditRating: 2,
    creditLimitFen: 2,
    paymentTerms: 1,
    title: 1,
    birthday: 1,
    family: 1,
    interests: 1,
    personality: 1,
    tradeActivity: 1,
    competitors: 1,
    style: 1,
  },
  money: {
    /** Largest sale, payment or return amount accepted: ¥100,000,000.00. */
    maxFen: 100_000_000_00,
    /** Days from a sale to its payment due date when the card sets no terms. */
    defaultPaymentTermsDays: 30,
    /** The card's purchase and profit totals cover this many days back. */
    summaryDays: 365,
    /** Sales and payments a ledger remembers having applied, to apply a replayed one once. */
    appliedKept: 100,
    /** Receivables `/card overdue` lists, oldest due first. */
    overdueListed: 20,
    /** Sales and payments the Money view lists, newest first. */
    entriesShown: 15,
    maxLength: { product: 100, model: 100, style: 100, reason: 300 },
  },
  /** The collection matrix: how long and how large an overdue receivable is decides how we chase it. */
  collection: {
    /** Highest reminder-letter level; each letter is firmer than the one before. */
    maxLetterLevel: 3,
  },
  /** 转介绍: referred prospects close far more often than cold ones, so they are contacted at once. */
  referral: {
    /** The source's target for the first contact with a referred prospect, in minutes. */
    contactWithinMinutes: 6,
    /** With no contact logged this long after the referral, its owner is reminded once. */
    reminderAfterMinutes: 60,
    /** Referrals that bought make a customer worth marking as an ambassador from this many on. */
    suggestAmbassadorFromDeals: 2,
    /** Referrals waiting for thanks a card lists; `/card referrals` lists this many of each group. */
    shownOnCard: 5,
    listed: 15,
    maxLength: { needs: 1000, notes: 1000, reason: 300, thanksNote: 300 },
  },
  checkIn: {
    /** Days after a sale when the salesperson checks in with the customer. */
    afterDays: 7,
  },
  lists: {
    /**
     * Documents a list reads in one round trip when it must read all it ranks (the ambassadors, a plan's due
     * customers): a cursor's first batch is otherwise 101, and every 101 more cost a getMore.
     */
    readAtOnce: 100_000,
  },
  export: {
    /** Cards read per round trip; each round also fetches those cards' visits or sales, so it bounds memory too. */
    batchSize: 500,
  },
  /**
   * `/card import`: a file a user uploads is untrusted, so every way it can grow is bounded
   * before it is read, and a refused file names the limit it broke.
   */
  import: {
    /** Largest file accepted, in bytes (10 MB). */
    maxBytes: 10 * 1024 * 1024,
    /** Non-blank rows in the sheet read, title and header rows included. */
    maxRows: 20_000,
    /** Columns a row may have: a customer book has a few dozen; a cell far to the right only makes every row that wide. */
    maxColumns: 200,
    /** Cells kept from a sheet in all (each row counted up to its last non-blank cell): rows times columns at their limits would be four million. */
    maxCells: 1_000_000,
    /**
     * An xlsx may inflate to at most this many bytes, as its zip declares and as the parts read actually
     * inflate (XML compresses about 10:1, so a 10 MB workbook stays well under)…
     */
    maxInflatedBytes: 300 * 1024 * 1024,
    /** …and to at most this many times its own size: a zip bomb inflates a thousandfold. */
    maxInflateRatio: 100,
    /** The header is looked for in this many non-blank rows from the top (titles, notes, a two-row header). */
    headerSearchRows: 20,
    /** Bytes of a text file the encoding detector and the delimiter guess look at. */
    sampleBytes: 64 * 1024,
    /** A preview's Import button works this long; then the plan is cleared and the file must be sent again. */
    previewHours: 24,
    /** Rows of each list the preview shows (new cards, matches, invalid rows, warnings); it says how many more. */
    previewListed: 10,
    /** Rows the job writes per bulk step (and per stored chunk of the plan); a crash redoes at most one step. */
    chunkRows: 500,
    /** Values per `$in` when the preview looks up the team's cards (card numbers, phones, names). */
    lookupBatch: 1000,
    /** Cards an import changes (a match with something to fill) are guarded writes, this many side by side. */
    updateConcurrency: 8,
    /** The progress message is updated after the first step, then at most this often. */
    progressEveryMs: 3000,
    /** The job renews its lock after each step; an instance that died lets another take the import after this long. */
    lockLifetimeMs: 5 * 60_000,
  },
  /**
   * 客户金字塔 and ABC (docs/fields.md "Segments"). Current customers (a sale in
   * the last windowDays) are ranked by profit (amount where a sale has none);
   * each tier takes customers up to its cumulative share, rounded up.
   */
  segments: {
    windowDays: 365,
    /** Cumulative percent of current customers, best first; whoever is past the last listed is 小. */
    tiers: [
      { tier: 'top', upToPercent: 1 },
      { tier: 'large', upToPercent: 5 },
      { tier: 'medium', upToPercent: 20 },
    ],
    /**
     * Cumulative percent of the team's 12-month amount reached before a customer: under A's is A, under B's is B, the
     * rest C.
     */
    abc: { A: 80, B: 95 },
    /** How often the job looks for teams whose segmentation hour has come. */
    checkEveryMinutes: 60,
    /** Cards a refresh moves per bulk write (a guarded step each, their history and events inserted together). */
    writeBatch: 1000,
    /**
     * Rows a refresh's reads take per round trip. The driver keeps every row of a batch it has handed out until the
     * batch is done, and what outlives the young generation piles up in the old one: reading a 100,000-customer
     * team's rows one pipeline after another peaked some 40 MB higher in RSS with 5,000 than with 1,000.
     */
    readBatch: 1000,
  },
  /** 宣传大使: customers who speak for us get a contact nudge when they have not been contacted for a while. */
  ambassador: {
    /** Days from the last contact (any visit, call, meeting or message) to the next contact nudge. */
    cadenceDays: 30,
    /** Ambassadors `/card ambassadors` lists, next contact due first. */
    listed: 40,
  },
  /** 日终工作: each salesperson's daily wrap-up, at the team's wrap-up hour (WRAPUP_HOUR). */
  wrapUp: {
    /**
     * Rows each of its three lists shows; the rest are counted. Three full lists stay inside one message's 50 blocks.
     */
    listed: 10,
  },
  /** `/card plan`: customers due for contact by the cadence (whose intervals are the cadence kind's settings). */
  cadence: {
    /** `/card plan` lists customers due within this many days, as well as those overdue. */
    planAheadDays: 3,
    /**
     * Customers `/card plan` lists before a "N more" line: each takes two blocks, a region heading at most one more (50
     * a message).
     */
    planListed: 15,
  },
  /**
   * Team settings an admin edits from App Home (the kinds' own, with their ranges, are in their files): the time zones
   * offered.
   */
  settings: {
    timezones: [
      'Asia/Shanghai',
      'Asia/Hong_Kong',
      'Asia/Taipei',
      'Asia/Singapore',
      'Asia/Tokyo',
      'Asia/Seoul',
      'Asia/Bangkok',
      'Asia/Kolkata',
      'Asia/Dubai',
      'Europe/London',
      'Europe/Paris',
      'Europe/Berlin',
      'America/New_York',
      'America/Chicago',
      'America/Los_Angeles',
      'Australia/Sydney',
      'UTC',
    ],
    /** Setting changes App Home lists, newest first. */
    changesShown: 5,
  },
  /**
   * 公海: a card whose last logged contact is `afterDays` old warns its owner;
   * untouched `graceDays` after the warning, it goes to the team pool for
   * anyone to claim. The top tiers stay with their owners.
   */
  pool: {
    /** Pooled cards `/card pool` lists, oldest first; each takes two blocks (50 a message). */
    listed: 20,
    /**
     * Batches of cards a replan writes at once. DocumentDB serves each connection with one PostgreSQL backend: one
     * batch at a time leaves the server's other core idle (20,000 cards on 2 cores: 52-62 s at one, 32-38 s at two,
     * 34 s at three).
     */
    replanInFlight: 2,
  },
  /**
   * App Home: each list shows its first rows and counts the rest, so the tab fits Block Kit's 100 blocks at any size.
   */
  home: {
    rowsShown: 4,
    /**
     * Changes republish the Home of people who opened it this recently (a working day): Home is
     * published afresh whenever it is opened, so a refresh only helps someone still looking at it.
     */
    refreshWithinHours: 12,
    /** An opening is written again only this long after the last write (an opening every few seconds costs nothing). */
    reopenedAfterMinutes: 10,
    /**
     * Home's counts (the pyramid, the team's tiers, overdue quadrants, pool and thanks) are read again at most this
     * often per instance, shared by everyone opening Home; a change made on the instance counts afresh at once.
     */
    countsFreshSeconds: 30,
    /** A salesperson's due reminders read in one go, unsorted, for every list at once; more are read list by list. */
    dueReadAtOnce: 1_000,
  },
  /** 交接: a card reassigned, or every card of a departing salesperson handed over. */
  handover: {
    /** The reason typed on Reassign, in characters. */
    reasonMaxLength: 300,
    /** Cards read per query while a handover moves them. */
    batchSize: 200,
    /** A handover's runner is presumed dead after this long: the next Confirm takes it over. */
    leaseMs: 10 * 60_000,
  },
  /**
   * 生日、纪念日与节日 (issue 20): birthdays and important family days, solar (公历) or lunar
   * (农历), and the festivals the team sends gifts for. Lunar dates are converted by tyme4ts.
   */
  occasions: {
    /** Days before a birthday or important day that its owner is reminded. */
    birthdayDaysAhead: 3,
    /** Days before a festival that each salesperson gets the gift list (time to buy and send). */
    festivalDaysAhead: 10,
    /** What an admin may set either of the two above to, in whole days (0: on the day itself). */
    daysAheadRange: { min: 0, max: 30 },
    /**
     * A festival's gift list names at most this many customers, most important first, and counts the rest: with its
     * title and that count it stays inside a message's 50 blocks.
     */
    festivalListed: 40,
    /** A referral recorded, or a greeting or gift logged, this many days back puts a customer on the gift list. */
    festivalLookbackDays: 365,
    /** `/card birthdays` (生日) lists the caller's customers' days from today to this many days ahead. */
    listDays: 30,
    /** Days `/card birthdays` lists, soonest first, before a "N more" line: one block each (50 a message). */
    listed: 30,
    /** The visit brief names a birthday or important day at most this many days ahead. */
    briefDays: 14,
    /** App Home shows the viewer's customers' days of this week: today and the 6 days after. */
    homeDays: 6,
    /** The family section's important days: at most this many per card, each label this long. */
    maxImportantDays: 10,
    labelMaxLength: 30,
    /** No year before this is accepted (the lunar tables and any living customer's birth year start after it). */
    earliestYear: 1900,
    /** A once-only or yearly day may be dated at most this many years after this year (a birth year never after today). */
    maxYearsAhead: 50,
    /**
     * The festivals a team can pick, in the order they are offered. A lunar rule's day 30 falls on the
     * month's last day, so 除夕 is 腊月三十 (廿九 in a year whose 腊月 has 29 days). 清明 is a solar
     * term: its date moves between 4 and 6 April.
     */
    festivals: [
      { id: 'newYear', calendar: 'solar', month: 1, day: 1 },
      { id: 'laba', calendar: 'lunar', month: 12, day: 8 },
      { id: 'newYearsEve', calendar: 'lunar', month: 12, day: 30 },
      { id: 'springFestival', calendar: 'lunar', month: 1, day: 1 },
      { id: 'lantern', calendar: 'lunar', month: 1, day: 15 },
      { id: 'womensDay', calendar: 'solar', month: 3, day: 8 },
      { id: 'qingming', solarTerm: '清明' },
      { id: 'labourDay', calendar: 'solar', month: 5, day: 1 },
      { id: 'dragonBoat', calendar: 'lunar', month: 5, day: 5 },
      { id: 'qixi', calendar: 'lunar', month: 7, day: 7 },
      { id: 'teachersDay', calendar: 'solar', month: 9, day: 10 },
      { id: 'midAutumn', calendar: 'lunar', month: 8, day: 15 },
      { id: 'nationalDay', calendar: 'solar', month: 10, day: 1 },
      { id: 'doubleNinth', calendar: 'lunar', month: 9, day: 9 },
    ],
    /** What a team greets until an admin picks otherwise: the four gift seasons of a Chinese sales year. */
    defaultFestivals: ['springFestival', 'dragonBoat', 'midAutumn', 'nationalDay'],
  },
  /** Install to any workspace (Slack OAuth). */
  oauth: {
    /** An install started longer ago than this must start again: Slack's consent screen takes seconds. */
    stateLifetimeMinutes: 10,
    /** How often the job deleting the data of teams that uninstalled looks for one whose retention is over. */
    purgeEveryMinutes: 60,
    /** A purge that has not finished this long after it began is taken as dead: the next run starts it again. */
    purgeLeaseMinutes: 60,
  },
} as const;
