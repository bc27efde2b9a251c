#!/usr/bin/env python3
"""All-visible-text baseline for the HTML article-extraction benchmark.

Usage: baseline_visible_text.py PAGE.html...

Prints one JSONL record per page (same fields as `factwire text`):
id, source, url, title, published, lang, text.  "text" is every piece of
text a browser would render in <body> (script, style, noscript, template,
svg, head and hidden form controls dropped), block elements separated by
newlines.  This is the "html-text / all visible text" reference point of the
article-extraction-benchmark: perfect recall, poor precision.
Standard library only.
"""
import json
import re
import sys
from html.parser import HTMLParser

SKIP = {'script', 'style', 'noscript', 'template', 'svg', 'head', 'title', 'textarea', 'select', 'iframe', 'object'}
BLOCK = {'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'table',
         'section', 'article', 'header', 'footer', 'nav', 'aside', 'main', 'figure', 'figcaption',
         'blockquote', 'form', 'hr', 'dd', 'dt', 'dl', 'pre', 'address', 'details', 'summary'}
VOID = {'br', 'img', 'meta', 'link', 'input', 'hr', 'source', 'area', 'base', 'col', 'embed', 'param', 'track', 'wbr'}


def sniff_encoding(raw):
    if raw.startswith(b'\xef\xbb\xbf'):
        return 'utf-8-sig'
    head = raw[:4096].decode('ascii', 'replace')
    m = re.search(r'<meta[^>]+charset\s*=\s*["\']?\s*([\w-]+)', head, re.I)
    if m:
        enc = m.group(1).lower()
        if enc in ('iso-8859-1', 'latin1', 'latin-1', 'us-ascii', 'ascii'):
            enc = 'cp1252'  # what browsers do (WHATWG encoding standard)
        return enc
    return 'utf-8'


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0
        self.title = ''
        self.in_title = False
        self.meta = {}
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'html' and a.get('lang'):
            self.lang = a['lang']
        if tag == 'meta':
            k = a.get('property') or a.get('name') or a.get('itemprop')
            if k and a.get('content') and k not in self.meta:
                self.meta[k] = a['content']
        if tag == 'link' and (a.get('rel') or '').lower() == 'canonical':
            self.meta.setdefault('canonical', a.get('href'))
        if tag == 'title':
            self.in_title = True
        if tag in SKIP and tag not in VOID:
            self.skip += 1
        if tag in BLOCK:
            self.out.append('\n')

    def handle_endtag(self, tag):
        if tag == 'title':
            self.in_title = False
        if tag in SKIP and self.skip:
            self.skip -= 1
        if tag in BLOCK:
            self.out.append('\n')

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if not self.skip:
            self.out.append(data)


def extract(path):
    raw = open(path, 'rb').read()
    enc = sniff_encoding(raw)
    try:
        html = raw.decode(enc, 'replace')
    except LookupError:
        html = raw.decode('utf-8', 'replace')
    p = Visible()
    p.feed(html)
    p.close()
    text = ''.join(p.out).replace('\u00a0', ' ')
    lines = [re.sub(r'[ \t\r\f\v]+', ' ', l).strip() for l in text.split('\n')]
    text = '\n'.join(l for l in lines if l)
    return {
        'id': re.sub(r'\.html?$', '', path.rsplit('/', 1)[-1]),
        'source': path,
        'url': p.meta.get('canonical') or p.meta.get('og:url'),
        'title': p.meta.get('og:title') or p.title.strip() or None,
        'published': p.meta.get('article:published_time') or p.meta.get('datePublished'),
        'lang': (p.lang or '').split('-')[0] or None,
        'text': text,
    }


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for path in argv:
        sys.stdout.write(json.dumps(extract(path), ensure_ascii=False) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
