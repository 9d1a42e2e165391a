"""Braille: 国家通用盲文 (gf2018), 现行盲文 (gb2008), UEB and any liblouis table; pagination; PEF/BRF/HTML/SVG.

Start at :mod:`accessible_reader.braille.system` (the Protocol and registry) and
:mod:`accessible_reader.braille.convert` (what other layers call). See docs/braille.md.
"""
