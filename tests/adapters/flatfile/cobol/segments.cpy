      *> A withholding batch as a host writes it: one header, detail
      *> records, one trailer; REC-TYPE selects the record's layout.
       01  HDR-REC.
           05  REC-TYPE            PIC X.
           05  HDR-BATCH           PIC X(8).
           05  HDR-DATE            PIC 9(8).
           05  HDR-BANK            PIC X(12).
       01  DTL-REC.
           05  REC-TYPE            PIC X.
           05  DTL-PERSON          PIC X(18).
           05  DTL-AMOUNT          PIC S9(9)V99 COMP-3.
           05  DTL-MONTHS          PIC S9(4) COMP.
           05  DTL-RATE            PIC S9V9(4) COMP-3.
           05  DTL-ADJUST          PIC S9(5)V99.
       01  TRL-REC.
           05  REC-TYPE            PIC X.
           05  TRL-COUNT           PIC 9(7) COMP.
           05  TRL-TOTAL           PIC S9(11)V99 COMP-3.
