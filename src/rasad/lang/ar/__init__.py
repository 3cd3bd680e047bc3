"""Arabic: one model of clitics and inflection (`morphology`) and the language's word lists
(`data/`), shared by every matcher. Algorithms elsewhere hold no Arabic word lists of their own."""
