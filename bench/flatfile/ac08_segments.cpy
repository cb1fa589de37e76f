      *> The benchmark's extract as a control-record batch: a header
      *> with the business date, AC08 details, a trailer with their
      *> count and AAE180 total; REC-TYPE selects the layout.
       01  HDR-REC.
           05  REC-TYPE            PIC X.
           05  HDR-DATE            PIC 9(8).
           05  FILLER              PIC X(192).
       01  DTL-REC.
           05  REC-TYPE            PIC X.
           05  AAZ083              PIC X(20).
           05  AAC001              PIC X(15).
           05  AAB001              PIC X(15).
           05  AAE140              PIC X(3).
           05  AAE002              PIC 9(6).
           05  AAE003              PIC 9(6).
           05  AAA115              PIC X(2).
           05  AAE143              PIC X(40).
           05  AAE180              PIC S9(12)V99 COMP-3.
           05  AAA041              PIC S9(2)V9(4) COMP-3.
           05  AAE082              PIC S9(12)V99 COMP-3.
           05  AAA042              PIC S9(2)V9(4) COMP-3.
           05  AAE020              PIC S9(12)V99 COMP-3.
           05  AAE056              PIC S9(12)V99 COMP-3.
           05  AAE114              PIC X.
           05  FILLER              PIC X(52).
       01  TRL-REC.
           05  REC-TYPE            PIC X.
           05  TRL-COUNT           PIC 9(9).
           05  TRL-TOTAL           PIC S9(15)V99 COMP-3.
           05  FILLER              PIC X(182).
