"""What every printed document shares: the fonts, right-to-left text, PDF paragraphs and rows."""
