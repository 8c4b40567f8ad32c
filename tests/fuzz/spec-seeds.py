#!/usr/bin/env python3
# spec-seeds.py SPEC.yaml: writes the example answers of the Intercom API description
# for the endpoints each fuzz target reads into tests/fuzz/seeds/TARGET/spec-*.json (run
# from the top of the tree; needs PyYAML). The seeds are committed: neither the build nor
# CI runs this.
import json, os, re, sys

import yaml

TARGETS = {
    'search-page': [('/conversations/search', 'post'), ('/me', 'get'), ('/teams', 'get'),
                    ('/admins', 'get'), ('/tags', 'get'), ('/tags', 'post')],
    'thread': [('/conversations/{conversation_id}', 'get'),
               ('/conversations/{conversation_id}/reply', 'post'),
               ('/conversations/{conversation_id}/parts', 'post')],
    'articles': [('/articles', 'get'), ('/articles/search', 'get'),
                 ('/articles/{article_id}', 'get')],
}


def examples(media):
    if 'example' in media:
        yield media['example']
    for ex in (media.get('examples') or {}).values():
        if isinstance(ex, dict) and 'value' in ex:
            yield ex['value']


def main(path):
    paths = yaml.safe_load(open(path))['paths']
    for target, endpoints in TARGETS.items():
        out = os.path.join('tests', 'fuzz', 'seeds', target)
        os.makedirs(out, exist_ok=True)
        n = 0
        for url, method in endpoints:
            op = paths.get(url, {}).get(method) or {}
            slug = re.sub(r'[^a-z0-9]+', '-', (method + re.sub(r'\{\w+\}', 'id', url)).lower())
            for status, resp in op.get('responses', {}).items():
                for media in (resp.get('content') or {}).values():
                    for ex in examples(media):
                        n += 1
                        name = 'spec-%s-%s-%d.json' % (slug.strip('-'), status, n)
                        with open(os.path.join(out, name), 'w') as f:
                            json.dump(ex, f, ensure_ascii=False, separators=(',', ':'))
        print('%s: %d examples' % (target, n))


if __name__ == '__main__':
    main(sys.argv[1])
