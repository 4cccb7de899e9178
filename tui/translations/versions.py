"""Polish wordings: saves refused because someone else saved first, and who acts."""

PL = {
    "someone": "ktoś",
    "changed by {who} meanwhile, reload": "w międzyczasie zmienione przez: {who}; odśwież",
    "changed by {who} on {day} at {time}, reload":
        "zmienione przez: {who}, {day} o {time}; odśwież",
    "changed by {who} at {time}, reload": "zmienione przez: {who} o {time}; odśwież",
}
PL.update({
    "The config file is not used as written: {problem}":
        "Plik konfiguracyjny nie jest użyty tak, jak go zapisano: {problem}",
})
