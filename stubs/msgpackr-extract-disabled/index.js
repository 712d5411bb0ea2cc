// msgpackr loads its native extractor inside try/catch and uses pure JavaScript when it is absent.
throw new Error('msgpackr-extract is replaced by a stub in this project');
