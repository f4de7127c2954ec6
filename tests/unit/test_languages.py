from bot import languages


def test_six_languages_are_configured():
    assert list(languages.supported()) == ["en", "fi", "et", "nb", "lt", "sv"]


def test_site_locales_are_normalised():
    assert languages.normalise("fi-FI") == "fi"
    assert languages.normalise("nb_NO") == "nb"
    assert languages.normalise("no") == "nb"
    assert languages.normalise("SV") == "sv"
    assert languages.normalise("de-DE") is None
    assert languages.normalise(None) is None
    assert languages.normalise(42) is None
