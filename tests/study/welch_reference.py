#!/usr/bin/env python3
# The reference values of tst_statistics.cpp's welchAgainstReference: Welch's t, the Welch-Satterthwaite
# degrees of freedom and the two-sided p-value, computed with mpmath (Debian python3-mpmath) at 30 digits,
# independently of Boost.Math. p = I_{df/(df+t^2)}(df/2, 1/2), the regularized incomplete beta function,
# which equals 2 * (1 - F_t(|t|; df)) for Student's t distribution.
# Run: python3 tests/study/welch_reference.py
import mpmath as mp
mp.mp.dps = 30
def welch(a, b):
    a = [mp.mpf(str(x)) for x in a]; b = [mp.mpf(str(x)) for x in b]
    na, nb = len(a), len(b)
    ma, mb = sum(a)/na, sum(b)/nb
    va = sum((x-ma)**2 for x in a)/(na-1); vb = sum((x-mb)**2 for x in b)/(nb-1)
    sa, sb = va/na, vb/nb
    t = (ma-mb)/mp.sqrt(sa+sb)
    df = (sa+sb)**2/(sa**2/(na-1) + sb**2/(nb-1))
    p = mp.betainc(df/2, mp.mpf(1)/2, 0, df/(df+t*t), regularized=True)
    return ma-mb, mp.sqrt(va), mp.sqrt(vb), t, df, p
cases = {
 'wikipedia1': ([27.5,21.0,19.0,23.6,17.0,17.9,16.9,20.1,21.9,22.6,23.1,19.6,19.0,21.7,21.4],
                [27.1,22.0,20.8,23.4,23.4,23.5,25.8,22.0,24.8,20.2,21.9,22.1,22.9,20.5,24.4]),
 'wikipedia2': ([17.2,20.9,22.6,18.1,21.7,21.4,23.5,24.2,14.7,21.8],
                [21.5,22.8,21.0,23.0,21.6,23.6,22.5,20.7,23.4,21.8,20.7,21.7,21.5,22.5,23.6,21.5,22.5,23.5,21.5,21.8]),
 'seeds': ([0.171,0.168,0.262,0.331,0.175],[0.181,0.190,0.178,0.185]),
 'two_each': ([1.0,2.0],[4.0,7.0]),
}
for k,(a,b) in cases.items():
    d,sa,sb,t,df,p = welch(a,b)
    print(k, 'diff', mp.nstr(d,17), 'sa', mp.nstr(sa,17), 'sb', mp.nstr(sb,17), 't', mp.nstr(t,17), 'df', mp.nstr(df,17), 'p', mp.nstr(p,17))
