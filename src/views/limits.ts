/** Block Kit's documented limits that our views must stay inside. */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  modalTitle: 24,
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  selectOptions: 100,
  contextText: 2000,
  placeholder: 150,
  privateMetadata: 3000,
  fallbackText: 4000,
  /**
   * All the text of one message's blocks together, in UTF-16 code units:
   * past about 12,000 chat.postMessage has been seen to answer
   * msg_blocks_too_long (slackapi/bolt-js issues 2509, 2867).
   */
  messageText: 12_000,
} as const;

/** How much of a long text a view quotes, so a few long entries cannot crowd out the rest. */
export const PREVIEW = {
  cardVisitText: 200,
  /** The card's notes as the card quotes them (the edit modal and the export hold them whole). */
  cardNotes: 500,
  fieldValue: 200,
  historyChange: 80,
  historyVisitText: 500,
  /** A name in a type-ahead option, so the card number after it always shows. */
  optionName: 40,
  /** A name in one of Home's one-line rows (this week's birthdays), so the day after it always shows. */
  homeName: 40,
  /** What was talked about at an ambassador's last contact, in the contact nudge. */
  ambassadorTopic: 200,
  /** A greeting's gift ideas: the card's preferences and hobbies, cut to this. */
  giftIdeas: 300,
  /** A note quoted in the pre-visit brief, so every section of it still fits on the one screen. */
  briefText: 300,
  /** What a wrap-up row quotes: products bought, a follow-up's plan, the needs heard. */
  wrapUpDetail: 200,
  /** The needs heard at the last visit, in a `/card plan` row. */
  planNeeds: 150,
} as const;
