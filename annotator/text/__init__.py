"""Article text to paragraphs and sentences, with no Django: readers, header, boundaries, boilerplate, web pages."""
