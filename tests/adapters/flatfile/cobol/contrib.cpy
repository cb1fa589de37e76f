      *> A contribution record as a mainframe extract holds it: text,
      *> packed and binary amounts, signed zoned numbers, a REDEFINES
      *> view and a fixed table.
       01  CONTRIB-REC.
           05  REC-TYPE            PIC X.
           05  PERSON-ID           PIC X(10).
           05  PERSON-NAME         PIC X(20).
           05  BASE-AMT            PIC S9(7)V99 COMP-3.
           05  MONTHS              PIC S9(4) COMP.
           05  RATE                PIC S9V9(4).
           05  ADJUST              PIC S9(5)V99 SIGN LEADING SEPARATE.
           05  PERIOD              PIC 9(6).
           05  PERIOD-X REDEFINES PERIOD.
               10  PERIOD-YEAR     PIC 9(4).
               10  PERIOD-MONTH    PIC 99.
           05  TOTAL-PAID          PIC S9(9)V99 COMP.
           05  PAYMENT OCCURS 3 TIMES.
               10  PAY-AMT         PIC S9(5)V99 COMP-3.
               10  PAY-FLAG        PIC X.
