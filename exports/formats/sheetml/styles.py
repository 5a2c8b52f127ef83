"""The workbook's style sheet: five cell styles (plain, bold, date, money, share)."""

from exports.formats.sheetml.cells import DATE_FORMAT, MONEY_FORMAT, SHARE_FORMAT

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _escaped_format(code: str) -> str:
    return code.replace("&", "&amp;").replace('"', "&quot;")


_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="{font}" fillId="0" borderId="0" xfId="0"'
STYLES_XML = (
    f'{XML_HEAD}<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="3">'
    f'<numFmt numFmtId="164" formatCode="{_escaped_format(DATE_FORMAT)}"/>'
    f'<numFmt numFmtId="165" formatCode="{_escaped_format(MONEY_FORMAT)}"/>'
    f'<numFmt numFmtId="166" formatCode="{_escaped_format(SHARE_FORMAT)}"/>'
    "</numFmts>"
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    f'<xf numFmtId="0" {_XF.format(font=0)}/>'
    f'<xf numFmtId="0" {_XF.format(font=1)} applyFont="1"/>'
    f'<xf numFmtId="164" {_XF.format(font=0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="165" {_XF.format(font=0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="166" {_XF.format(font=0)} applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
